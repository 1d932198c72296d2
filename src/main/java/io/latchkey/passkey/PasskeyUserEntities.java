package io.latchkey.passkey;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.stereotype.Repository;

import io.latchkey.account.AccountService;
import io.latchkey.account.UserAccount;

/**
 * The WebAuthn user entity of each account: a random user handle (never the user id, so an authenticator learns
 * nothing it could link elsewhere) stored with the account's id. Spring Security looks entities up by "username",
 * which in Latchkey is the user id; the entity's name and display name are the account's email and name as they are
 * now, so the authenticator shows the user something they recognise.
 */
@Repository
class PasskeyUserEntities implements PublicKeyCredentialUserEntityRepository {

    private final JdbcClient jdbc;
    private final AccountService accounts;

    PasskeyUserEntities(JdbcClient jdbc, AccountService accounts) {
        this.jdbc = jdbc;
        this.accounts = accounts;
    }

    /** The account's user handle, made the first time the account registers a passkey. */
    Bytes ensure(UUID userId) {
        return handleOf(userId).orElseGet(() -> {
            Bytes handle = Bytes.random();
            jdbc.sql("INSERT INTO passkey_user_entities (user_handle, user_id) VALUES (:handle, :user)")
                    .param("handle", handle.getBytes()).param("user", userId).update();
            return handle;
        });
    }

    Optional<Bytes> handleOf(UUID userId) {
        return jdbc.sql("SELECT user_handle FROM passkey_user_entities WHERE user_id = :user").param("user", userId)
                .query(byte[].class).optional().map(Bytes::new);
    }

    Optional<UUID> userOf(Bytes handle) {
        return jdbc.sql("SELECT user_id FROM passkey_user_entities WHERE user_handle = :handle")
                .param("handle", handle.getBytes()).query(UUID.class).optional();
    }

    @Override
    public PublicKeyCredentialUserEntity findById(Bytes id) {
        return userOf(id).flatMap(userId -> entity(userId, id)).orElse(null);
    }

    @Override
    public PublicKeyCredentialUserEntity findByUsername(String username) {
        Optional<UUID> userId = PasskeyService.userId(username);
        return userId.flatMap(user -> handleOf(user).flatMap(handle -> entity(user, handle))).orElse(null);
    }

    /** Only for an entity Spring Security made itself: its name is the user id (the authentication's name). */
    @Override
    public void save(PublicKeyCredentialUserEntity userEntity) {
        UUID userId = PasskeyService.userId(userEntity.getName())
                .orElseThrow(() -> new IllegalArgumentException("A user entity's name is a user id"));
        if (handleOf(userId).isEmpty()) {
            jdbc.sql("INSERT INTO passkey_user_entities (user_handle, user_id) VALUES (:handle, :user)")
                    .param("handle", userEntity.getId().getBytes()).param("user", userId).update();
        }
    }

    @Override
    public void delete(Bytes id) {
        jdbc.sql("DELETE FROM passkey_user_entities WHERE user_handle = :handle").param("handle", id.getBytes())
                .update();
    }

    private Optional<PublicKeyCredentialUserEntity> entity(UUID userId, Bytes handle) {
        return accounts.find(userId).map(account -> ImmutablePublicKeyCredentialUserEntity.builder()
                .id(handle)
                .name(account.email())
                .displayName(displayName(account))
                .build());
    }

    private static String displayName(UserAccount account) {
        return account.name() == null || account.name().isBlank() ? account.email() : account.name();
    }
}
