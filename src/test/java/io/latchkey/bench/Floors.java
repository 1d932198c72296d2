package io.latchkey.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.DoubleAdder;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * What the two costly operations the server cannot avoid allow at most on this machine, measured in the
 * benchmark JVM: RS256 signatures (every token is one) and bcrypt cost-12 checks (every password login is
 * one). The server can only come close to these; the ratios in the report say how close.
 */
final class Floors {

    private Floors() {
    }

    /**
     * Measures the floors on its own, for scripts (src/test/bench/wrk-benchmark.sh) that drive the server with
     * another load generator: {@code java -cp ... io.latchkey.bench.Floors [seconds]}. Prints one line of
     * {@code key=value} pairs, operations per second, so that a shell script can read it without parsing
     * prose: {@code FLOORS threads=2 rs256_one=1026.4 rs256_all=1988.1 bcrypt_one=3.91 bcrypt_all=7.80}.
     * The argument is the timed phase of each of the four measurements (default 3 s).
     */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        if (seconds < 1) {
            throw new IllegalArgumentException("seconds must be at least 1, was " + seconds);
        }
        Result floors = measure(seconds);
        System.out.println(String.format(Locale.ROOT,
                "FLOORS threads=%d rs256_one=%.1f rs256_all=%.1f bcrypt_one=%.2f bcrypt_all=%.2f", floors.threads(),
                floors.rs256One(), floors.rs256All(), floors.bcryptOne(), floors.bcryptAll()));
    }

    static Result measure(int seconds) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        RSASSASigner signer = new RSASSASigner(key);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build();
        Operation sign = () -> signTypicalToken(signer, header);

        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(12);
        String password = "correct horse battery staple";
        String hash = bcrypt.encode(password);
        Operation check = () -> {
            if (!bcrypt.matches(password, hash)) {
                throw new IllegalStateException("bcrypt check failed");
            }
        };

        rate(sign, cores, 1); // warm-up: lets the JIT compile the signing path
        double rsaOne = rate(sign, 1, seconds);
        double rsaAll = rate(sign, cores, seconds);
        double bcryptOne = rate(check, 1, seconds);
        double bcryptAll = rate(check, cores, seconds);
        return new Result(cores, rsaOne, rsaAll, bcryptOne, bcryptAll);
    }

    /** An access token as the server signs one for a signed-in user. */
    private static String signTypicalToken(RSASSASigner signer, JWSHeader header) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer("http://127.0.0.1:9000")
                .subject(UUID.randomUUID().toString())
                .audience("benchweb")
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(900)))
                .jwtID(UUID.randomUUID().toString())
                .claim("client_id", "benchweb")
                .claim("scope", List.of("openid", "profile", "email"))
                .claim("roles", List.of("user"))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /**
     * Operations per second of all threads together: the sum of each thread's own rate, each thread running
     * the operation in a loop until the deadline (and at least twice, so that bcrypt still gives a rate).
     */
    private static double rate(Operation operation, int threads, int seconds) throws InterruptedException {
        long started = System.nanoTime();
        long end = started + seconds * 1_000_000_000L;
        DoubleAdder total = new DoubleAdder();
        List<Exception> failures = new CopyOnWriteArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                try {
                    long count = 0;
                    while (System.nanoTime() < end || count < 2) {
                        operation.run();
                        count++;
                    }
                    total.add(count / ((System.nanoTime() - started) / 1e9));
                }
                catch (Exception ex) {
                    failures.add(ex);
                }
            }, "floor-" + i);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("Floor measurement failed", failures.get(0));
        }
        return total.sum();
    }

    @FunctionalInterface
    private interface Operation {
        void run() throws Exception;
    }

    /** Operations per second with one thread and with one thread per core. */
    record Result(int threads, double rs256One, double rs256All, double bcryptOne, double bcryptAll) {

        /**
         * The better of two measurements, figure by figure. Other load on the machine can only lower a floor,
         * so the higher value is the closer one to what the machine can do.
         */
        Result best(Result other) {
            return new Result(threads, Math.max(rs256One, other.rs256One), Math.max(rs256All, other.rs256All),
                    Math.max(bcryptOne, other.bcryptOne), Math.max(bcryptAll, other.bcryptAll));
        }
    }
}
