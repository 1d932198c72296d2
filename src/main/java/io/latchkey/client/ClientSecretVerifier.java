package io.latchkey.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Verifies client secrets against their bcrypt hashes, and remembers a secret that verified: machine
 * clients present the same secret on every token request, and a bcrypt check per request would cap a
 * server at a few requests per second per core. What is remembered is an HMAC of the secret under a key
 * that lives only in this process's memory, so nothing of it reaches the database or disk. Wrong secrets
 * are never remembered and always cost a full bcrypt check. Requests that present the same secret while
 * it is being checked wait for that one check instead of each starting their own (a client's first burst
 * would otherwise fill the hashing queue with the same work).
 */
@Component
public class ClientSecretVerifier implements PasswordEncoder {

    private static final int MAX_ENTRIES = 10_000;

    private final PasswordEncoder bcrypt;
    private final Mac processMac;
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Boolean>> checking = new ConcurrentHashMap<>();

    ClientSecretVerifier(PasswordEncoder bcrypt) {
        this.bcrypt = bcrypt;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            this.processMac = Mac.getInstance("HmacSHA256");
            this.processMac.init(new SecretKeySpec(key, "HmacSHA256"));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is always available", ex);
        }
    }

    @Override
    public String encode(CharSequence rawSecret) {
        return bcrypt.encode(rawSecret);
    }

    @Override
    public boolean matches(CharSequence rawSecret, String storedHash) {
        if (rawSecret == null || storedHash == null) {
            return false;
        }
        byte[] presented = mac(rawSecret);
        byte[] remembered = verified.get(storedHash);
        if (remembered != null && MessageDigest.isEqual(remembered, presented)) {
            return true;
        }
        String check = storedHash + ':' + HexFormat.of().formatHex(presented);
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = checking.putIfAbsent(check, mine);
        if (running != null) {
            return resultOf(running);
        }
        try {
            boolean matches = bcrypt.matches(rawSecret, storedHash);
            if (matches) {
                if (verified.size() >= MAX_ENTRIES) {
                    verified.clear();
                }
                verified.put(storedHash, presented);
            }
            mine.complete(matches);
            return matches;
        }
        catch (RuntimeException ex) {
            mine.completeExceptionally(ex);
            throw ex;
        }
        finally {
            checking.remove(check, mine);
        }
    }

    /** Whether this secret proved right for this hash before, so checking it now costs no password hash. */
    public boolean isRemembered(CharSequence rawSecret, String storedHash) {
        if (rawSecret == null || storedHash == null) {
            return false;
        }
        byte[] remembered = verified.get(storedHash);
        return remembered != null && MessageDigest.isEqual(remembered, mac(rawSecret));
    }

    private static boolean resultOf(CompletableFuture<Boolean> running) {
        try {
            return running.join();
        }
        catch (CompletionException ex) {
            if (ex.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw ex;
        }
    }

    @Override
    public boolean upgradeEncoding(String storedHash) {
        return bcrypt.upgradeEncoding(storedHash);
    }

    private byte[] mac(CharSequence rawSecret) {
        try {
            // cloning an initialised MAC skips the provider lookup and key setup on every request
            Mac mac = (Mac) processMac.clone();
            return mac.doFinal(rawSecret.toString().getBytes(StandardCharsets.UTF_8));
        }
        catch (CloneNotSupportedException ex) {
            throw new IllegalStateException("HmacSHA256 supports cloning", ex);
        }
    }
}
