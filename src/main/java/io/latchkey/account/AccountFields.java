package io.latchkey.account;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.CONSTRUCTOR;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

/**
 * The checks an account field's value gets before any rule sees it, written once for the hosted forms
 * ({@code AccountForms}) and the API's bodies. Each is a composed Bean Validation constraint whose parts report
 * their own message keys of {@code messages.properties}, exactly as if they were written on the field.
 */
public final class AccountFields {

    /** No control characters: PostgreSQL refuses a NUL in a query, and none belongs in a name or an address. */
    static final String NO_CONTROL_CHARACTERS = "[^\\p{Cntrl}]*";
    /** The longest name to show, in characters. */
    static final int MAX_NAME_LENGTH = 200;
    /** The longest password accepted, in characters: far above any real one; a longer one is never hashed. */
    static final int MAX_PASSWORD_LENGTH = 1000;

    private AccountFields() {
    }

    /** An email address: given, at most 254 characters, well formed, no control characters. */
    @Documented
    @Retention(RUNTIME)
    @Target({ METHOD, FIELD, ANNOTATION_TYPE, CONSTRUCTOR, PARAMETER, TYPE_USE })
    @Constraint(validatedBy = {})
    @NotBlank(message = "{email.required}")
    @Size(max = 254, message = "{email.tooLong}")
    @Email(message = "{email.invalid}")
    @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{email.invalid}")
    public @interface EmailAddress {

        String message() default "{email.invalid}";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** A password, new or current, of at most {@value #MAX_PASSWORD_LENGTH} characters; may be empty here. */
    @Documented
    @Retention(RUNTIME)
    @Target({ METHOD, FIELD, ANNOTATION_TYPE, CONSTRUCTOR, PARAMETER, TYPE_USE })
    @Constraint(validatedBy = {})
    @Size(max = MAX_PASSWORD_LENGTH, message = "{password.tooLong}")
    public @interface Password {

        String message() default "{password.tooLong}";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** The name to show: at most {@value #MAX_NAME_LENGTH} characters, no control characters; may be empty. */
    @Documented
    @Retention(RUNTIME)
    @Target({ METHOD, FIELD, ANNOTATION_TYPE, CONSTRUCTOR, PARAMETER, TYPE_USE })
    @Constraint(validatedBy = {})
    @Size(max = MAX_NAME_LENGTH, message = "{name.tooLong}")
    @Pattern(regexp = NO_CONTROL_CHARACTERS, message = "{name.invalid}")
    public @interface Name {

        String message() default "{name.invalid}";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** A mailed link's token: longer than any token Latchkey makes is a link that cannot be used. */
    @Documented
    @Retention(RUNTIME)
    @Target({ METHOD, FIELD, ANNOTATION_TYPE, CONSTRUCTOR, PARAMETER, TYPE_USE })
    @Constraint(validatedBy = {})
    @Size(max = AccountLinks.MAX_TOKEN_LENGTH, message = "{link.invalid}")
    public @interface LinkToken {

        String message() default "{link.invalid}";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }
}
