package io.latchkey.client;

import java.util.List;

/**
 * A client change that breaks a rule: its settings (redirect URIs, grant types, ...), or a change that is not allowed
 * at all (a client declared in configuration is changed only there). Every problem is listed, each with its property.
 */
public class ClientRuleViolation extends RuntimeException {

    private final transient List<ClientProblem> problems;

    ClientRuleViolation(List<ClientProblem> problems) {
        super(String.join("; ", problems.stream().map(ClientProblem::message).toList()));
        this.problems = List.copyOf(problems);
    }

    ClientRuleViolation(String property, String message) {
        this(List.of(new ClientProblem(property, message)));
    }

    public List<ClientProblem> problems() {
        return problems;
    }
}
