package io.latchkey.config;

import java.util.List;

/** A document that cannot be imported, with every problem found in it; nothing was changed. */
public class DocumentRefused extends RuntimeException {

    private final transient List<DocumentProblem> problems;

    DocumentRefused(List<DocumentProblem> problems) {
        super(problems.size() + " problem(s) in the document");
        this.problems = List.copyOf(problems);
    }

    public List<DocumentProblem> problems() {
        return problems;
    }
}
