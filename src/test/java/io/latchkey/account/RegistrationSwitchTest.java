package io.latchkey.account;

import org.junit.jupiter.api.Test;

import org.springframework.ui.ConcurrentModel;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** latchkey.registration.enabled=false closes /register: 404, and nothing reaches the account rules. */
class RegistrationSwitchTest {

    @Test
    void closedRegistrationIsNotFound() {
        RegistrationController controller = new RegistrationController(null,
                new RegistrationSettings(false, true, 12), new PasswordPolicy(12));
        assertThatThrownBy(() -> controller.form(new ConcurrentModel()))
                .isInstanceOfSatisfying(ResponseStatusException.class,
                        ex -> assertThat(ex.getStatusCode().value()).isEqualTo(404));
        AccountForms.Registration form = new AccountForms.Registration("a@example.com", "a long passphrase",
                "a long passphrase", null);
        assertThatThrownBy(() -> controller.register(form, new BeanPropertyBindingResult(form, "form"),
                new ConcurrentModel(), java.util.Locale.ENGLISH,
                new org.springframework.mock.web.MockHttpServletRequest()))
                .isInstanceOf(ResponseStatusException.class);
    }

    @Test
    void settingsDefaultToOpenRegistrationWithVerifiedEmail() {
        RegistrationSettings defaults = new RegistrationSettings(null, null, null);
        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.requireVerifiedEmail()).isTrue();
        assertThat(defaults.passwordMinLength()).isEqualTo(12);
    }
}
