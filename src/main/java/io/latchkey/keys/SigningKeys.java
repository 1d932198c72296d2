package io.latchkey.keys;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The signing key ring: one active key that signs, and retired keys that stay published in the JWKS
 * until every token they signed has expired. Keys live in the database (private parts sealed with the
 * {@link MasterKey}) so that every instance signs with, and publishes, the same keys.
 */
@Service
public class SigningKeys implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    /** Another instance may rotate; each instance looks again at least this often. */
    private static final Duration MIN_RELOAD_ON_UNKNOWN_KID = Duration.ofSeconds(5);

    private final SigningKeyRepository repository;
    private final MasterKey masterKey;
    private final KeysProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    private volatile KeyRing ring;
    /** Set while one caller reloads the ring; the others go on with the ring they have. */
    private final AtomicBoolean reloading = new AtomicBoolean();

    SigningKeys(SigningKeyRepository repository, MasterKey masterKey, KeysProperties properties,
            TransactionTemplate transactions, Clock clock) {
        this.repository = repository;
        this.masterKey = masterKey;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        rotateIfDue();
    }

    /** The key that signs now, with a signer built once for it. */
    public ActiveKey active() {
        return current().active();
    }

    /** Public parts of every published key, for the JWKS document and for verifying our own tokens. */
    public JWKSet published() {
        return current().published();
    }

    /** Like {@link #published()}, but looks in the database first if {@code kid} is not known yet. */
    public JWKSet publishedIncluding(String kid) {
        KeyRing now = current();
        if (kid != null && now.published().getKeyByKeyId(kid) == null
                && Duration.between(now.loadedAt(), clock.instant()).compareTo(MIN_RELOAD_ON_UNKNOWN_KID) > 0) {
            now = reloadUnlessAnotherCallerIs(now);
        }
        return now.published();
    }

    /**
     * When the active key, as this instance last loaded it, was created; null before the first load. Never reads
     * the database, so that a metrics scrape does not wait on it.
     */
    public Instant activeKeyCreatedAt() {
        KeyRing now = ring;
        return now == null ? null : now.activeCreatedAt();
    }

    /** Creates a key if none is active, or replaces the active key once it is older than the rotation period. */
    public void rotateIfDue() {
        rotate(false);
    }

    /** Replaces the active key now, whatever its age; returns the new active key's kid. */
    public String rotateNow() {
        return rotate(true);
    }

    /** Every stored key, active or retired (published or not yet deleted), newest first; public facts only. */
    public List<SigningKeyInfo> list() {
        return repository.findAll().stream()
                .sorted(Comparator.comparing(StoredSigningKey::createdAt).reversed())
                .map(key -> new SigningKeyInfo(key.kid(), key.algorithm(), key.createdAt(), key.retiredAt(),
                        key.publishedUntil()))
                .toList();
    }

    private String rotate(boolean force) {
        String activeKid = transactions.execute(status -> {
            repository.lockForRotation();
            Instant now = clock.instant();
            StoredSigningKey active = repository.findActive().orElse(null);
            boolean due = active == null || force
                    || !active.createdAt().plus(properties.rotation()).isAfter(now);
            if (due) {
                if (active != null) {
                    repository.retire(active.kid(), now, now.plus(properties.retiredKeyRetention()));
                }
                StoredSigningKey created = generate(now);
                repository.insert(created);
                log.info("Signing key {} ({}) is now active{}", created.kid(), created.algorithm(),
                        active == null ? "" : "; key " + active.kid() + " is retired and stays published until "
                                + now.plus(properties.retiredKeyRetention()));
            }
            int removed = repository.deleteUnpublished(now);
            if (removed > 0) {
                log.info("Removed {} retired signing key(s) whose tokens have all expired", removed);
            }
            return repository.findActive().map(StoredSigningKey::kid).orElseThrow();
        });
        reload();
        return activeKid;
    }

    private KeyRing current() {
        KeyRing now = ring;
        if (now == null) {
            return firstLoad();
        }
        if (Duration.between(now.loadedAt(), clock.instant()).compareTo(properties.reloadInterval()) > 0) {
            now = reloadUnlessAnotherCallerIs(now);
        }
        return now;
    }

    private synchronized KeyRing firstLoad() {
        return ring != null ? ring : reload();
    }

    /**
     * Reloads in this caller when nobody else is reloading, and otherwise goes on with {@code stale}: under
     * load every request finds the ring stale at the same moment, and each reloading in turn (or waiting
     * for a lock while one does) would put a database query and a queue into every one of them.
     */
    private KeyRing reloadUnlessAnotherCallerIs(KeyRing stale) {
        if (!reloading.compareAndSet(false, true)) {
            return stale;
        }
        try {
            return reload();
        }
        finally {
            reloading.set(false);
        }
    }

    private KeyRing reload() {
        Instant now = clock.instant();
        List<StoredSigningKey> keys = repository.findPublished(now);
        StoredSigningKey activeRow = keys.stream().filter(StoredSigningKey::isActive).findFirst()
                .orElseThrow(() -> new IllegalStateException("No active signing key: rotation has not run"));
        ActiveKey active = ring != null && ring.active().kid().equals(activeRow.kid()) ? ring.active()
                : ActiveKey.of(parse(masterKey.open(activeRow.privateJwkEncrypted(), activeRow.kid())));
        JWKSet published = new JWKSet(keys.stream().map(key -> parse(key.publicJwk())).toList());
        KeyRing loaded = new KeyRing(active, published, now, activeRow.createdAt());
        ring = loaded;
        return loaded;
    }

    private StoredSigningKey generate(Instant now) {
        String kid = UUID.randomUUID().toString();
        try {
            JWK jwk = switch (properties.algorithm()) {
                case "ES256" -> new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.ES256).generate();
                default -> new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256).generate();
            };
            return new StoredSigningKey(kid, properties.algorithm(), jwk.toPublicJWK().toJSONString(),
                    masterKey.seal(jwk.toJSONString(), kid), now, null, null);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Cannot generate a signing key", ex);
        }
    }

    private static JWK parse(String json) {
        try {
            return JWK.parse(json);
        }
        catch (ParseException ex) {
            throw new IllegalStateException("A stored signing key is not a valid JWK", ex);
        }
    }

    private record KeyRing(ActiveKey active, JWKSet published, Instant loadedAt, Instant activeCreatedAt) {
    }

    /** The active private key and the encoder that signs with it (built once per key, not per token). */
    public record ActiveKey(String kid, SignatureAlgorithm algorithm, NimbusJwtEncoder encoder) {

        static ActiveKey of(JWK jwk) {
            SignatureAlgorithm algorithm = SignatureAlgorithm.from(jwk.getAlgorithm().getName());
            return new ActiveKey(jwk.getKeyID(), algorithm, new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(jwk))));
        }
    }

    /** Algorithms a key in the ring may use; what the JWKS may contain and verifiers must accept. */
    public static Set<SignatureAlgorithm> supportedAlgorithms() {
        return Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256);
    }
}
