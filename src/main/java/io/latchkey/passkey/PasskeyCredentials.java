package io.latchkey.passkey;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.webauthn.api.AuthenticatorTransport;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutableCredentialRecord;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCose;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialType;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.stereotype.Repository;

/**
 * Registered passkeys ({@code passkey_credentials}), for Spring Security's relying party operations (which insert a
 * new credential and, after each sign-in, update its signature counter and last use) and for the account page
 * (list, rename, delete: always within one account).
 */
@Repository
class PasskeyCredentials implements UserCredentialRepository {

    private static final String COLUMNS = "credential_id, user_id, user_handle, name, public_key, signature_count, "
            + "uv_initialized, backup_eligible, backup_state, transports, credential_type, attestation_object, "
            + "attestation_client_data_json, created_at, last_used_at";

    private final JdbcClient jdbc;
    private final PasskeyUserEntities userEntities;

    PasskeyCredentials(JdbcClient jdbc, PasskeyUserEntities userEntities) {
        this.jdbc = jdbc;
        this.userEntities = userEntities;
    }

    @Override
    public void save(CredentialRecord record) {
        int updated = jdbc.sql("UPDATE passkey_credentials SET signature_count = :count, backup_state = :backupState, "
                        + "last_used_at = :lastUsed WHERE credential_id = :id")
                .param("count", record.getSignatureCount())
                .param("backupState", record.isBackupState())
                .param("lastUsed", Timestamp.from(record.getLastUsed()))
                .param("id", record.getCredentialId().getBytes())
                .update();
        if (updated > 0) {
            return;
        }
        UUID userId = userEntities.userOf(record.getUserEntityUserId())
                .orElseThrow(() -> new IllegalArgumentException("The credential's user handle names no account"));
        // a new credential has not been used to sign in yet
        jdbc.sql("INSERT INTO passkey_credentials (" + COLUMNS + ") VALUES (:id, :user, :handle, :name, :publicKey, "
                        + ":count, :uv, :backupEligible, :backupState, :transports, :type, :attestation, :clientData, "
                        + ":created, NULL)")
                .param("id", record.getCredentialId().getBytes())
                .param("user", userId)
                .param("handle", record.getUserEntityUserId().getBytes())
                .param("name", record.getLabel())
                .param("publicKey", record.getPublicKey().getBytes())
                .param("count", record.getSignatureCount())
                .param("uv", record.isUvInitialized())
                .param("backupEligible", record.isBackupEligible())
                .param("backupState", record.isBackupState())
                .param("transports", record.getTransports().stream().map(AuthenticatorTransport::getValue)
                        .collect(Collectors.joining(",")))
                .param("type", record.getCredentialType() == null ? PublicKeyCredentialType.PUBLIC_KEY.getValue()
                        : record.getCredentialType().getValue())
                .param("attestation", record.getAttestationObject() == null ? null
                        : record.getAttestationObject().getBytes())
                .param("clientData", record.getAttestationClientDataJSON() == null ? null
                        : record.getAttestationClientDataJSON().getBytes())
                .param("created", Timestamp.from(record.getCreated()))
                .update();
    }

    @Override
    public CredentialRecord findByCredentialId(Bytes credentialId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM passkey_credentials WHERE credential_id = :id")
                .param("id", credentialId.getBytes()).query(PasskeyCredentials::record).optional().orElse(null);
    }

    @Override
    public List<CredentialRecord> findByUserId(Bytes userHandle) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM passkey_credentials WHERE user_handle = :handle "
                        + "ORDER BY created_at")
                .param("handle", userHandle.getBytes()).query(PasskeyCredentials::record).list();
    }

    @Override
    public void delete(Bytes credentialId) {
        jdbc.sql("DELETE FROM passkey_credentials WHERE credential_id = :id").param("id", credentialId.getBytes())
                .update();
    }

    List<Passkey> of(UUID userId) {
        return jdbc.sql("SELECT credential_id, name, backup_eligible, created_at, last_used_at FROM passkey_credentials "
                        + "WHERE user_id = :user ORDER BY created_at, name")
                .param("user", userId)
                .query((rs, row) -> new Passkey(new Bytes(rs.getBytes("credential_id")).toBase64UrlString(),
                        rs.getString("name"), rs.getBoolean("backup_eligible"), instant(rs, "created_at"),
                        instant(rs, "last_used_at")))
                .list();
    }

    int count(UUID userId) {
        return jdbc.sql("SELECT COUNT(*) FROM passkey_credentials WHERE user_id = :user").param("user", userId)
                .query(Integer.class).single();
    }

    boolean rename(UUID userId, Bytes credentialId, String name) {
        return jdbc.sql("UPDATE passkey_credentials SET name = :name WHERE credential_id = :id AND user_id = :user")
                .param("name", name).param("id", credentialId.getBytes()).param("user", userId).update() == 1;
    }

    /**
     * Locks the account's row until the transaction ends, so that deleting a passkey and removing the password, each
     * allowed only while the other remains, cannot both happen at once.
     */
    void lockAccount(UUID userId) {
        jdbc.sql("SELECT id FROM users WHERE id = :user FOR UPDATE").param("user", userId).query(UUID.class).optional();
    }

    /** Deletes the account's credential unless it is the last one and {@code keepLast}; whether it was deleted. */
    boolean delete(UUID userId, Bytes credentialId, boolean keepLast) {
        String lastOneStays = keepLast ? " AND (SELECT COUNT(*) FROM passkey_credentials WHERE user_id = :user) > 1" : "";
        return jdbc.sql("DELETE FROM passkey_credentials WHERE credential_id = :id AND user_id = :user" + lastOneStays)
                .param("id", credentialId.getBytes()).param("user", userId).update() == 1;
    }

    /** What the account page shows of a passkey; {@code id} is the credential id, base64url. */
    record Passkey(String id, String name, boolean synced, Instant createdAt, Instant lastUsedAt) {
    }

    private static CredentialRecord record(ResultSet rs, int row) throws SQLException {
        String transports = rs.getString("transports");
        Set<AuthenticatorTransport> transportSet = transports == null || transports.isEmpty() ? Set.of()
                : Arrays.stream(transports.split(",")).map(AuthenticatorTransport::valueOf)
                        .collect(Collectors.toCollection(LinkedHashSet::new));
        byte[] attestation = rs.getBytes("attestation_object");
        byte[] clientData = rs.getBytes("attestation_client_data_json");
        Instant lastUsed = instant(rs, "last_used_at");
        Instant created = instant(rs, "created_at");
        return ImmutableCredentialRecord.builder()
                .credentialId(new Bytes(rs.getBytes("credential_id")))
                .userEntityUserId(new Bytes(rs.getBytes("user_handle")))
                .label(rs.getString("name"))
                .publicKey(new ImmutablePublicKeyCose(rs.getBytes("public_key")))
                .signatureCount(rs.getLong("signature_count"))
                .uvInitialized(rs.getBoolean("uv_initialized"))
                .backupEligible(rs.getBoolean("backup_eligible"))
                .backupState(rs.getBoolean("backup_state"))
                .transports(transportSet)
                .credentialType(PublicKeyCredentialType.valueOf(rs.getString("credential_type")))
                .attestationObject(attestation == null ? null : new Bytes(attestation))
                .attestationClientDataJSON(clientData == null ? null : new Bytes(clientData))
                .created(created)
                .lastUsed(lastUsed == null ? created : lastUsed)
                .build();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
