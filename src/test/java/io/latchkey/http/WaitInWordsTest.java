package io.latchkey.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The wait of a {@code Retry-After} in words: never less than the header asks for. */
class WaitInWordsTest {

    @Test
    void secondsUnderAMinuteThenMinutesThenHoursRoundedUp() {
        assertThat(WaitInWords.of("1")).contains(new WaitInWords("error.wait.seconds", 1));
        assertThat(WaitInWords.of("30")).contains(new WaitInWords("error.wait.seconds", 30));
        assertThat(WaitInWords.of("60")).contains(new WaitInWords("error.wait.minutes", 1));
        assertThat(WaitInWords.of("61")).contains(new WaitInWords("error.wait.minutes", 2));
        assertThat(WaitInWords.of("120")).contains(new WaitInWords("error.wait.minutes", 2));
        assertThat(WaitInWords.of("3600")).contains(new WaitInWords("error.wait.hours", 1));
        assertThat(WaitInWords.of("3601")).contains(new WaitInWords("error.wait.hours", 2));
    }

    @Test
    void aMissingOrUnreadableHeaderHasNoWords() {
        assertThat(WaitInWords.of(null)).isEmpty();
        assertThat(WaitInWords.of("Wed, 21 Oct 2015 07:28:00 GMT")).isEmpty();
        assertThat(WaitInWords.of("-5")).isEmpty();
    }
}
