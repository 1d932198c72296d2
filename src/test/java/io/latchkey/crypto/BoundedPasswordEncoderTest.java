package io.latchkey.crypto;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.password.PasswordEncoder;

import io.latchkey.admission.Admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedPasswordEncoderTest {

    /** No request holds a turn in these tests: the hashing bound is what they check. */
    private static final Admission OUTSIDE_REQUESTS = new Admission(1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1));

    @Test
    void neverRunsMoreHashesAtOnceThanAllowed() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        PasswordEncoder slow = new CountingEncoder(running, mostAtOnce);
        BoundedPasswordEncoder bounded = new BoundedPasswordEncoder(slow, 2, 10_000, OUTSIDE_REQUESTS);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 16; i++) {
            pool.submit(() -> bounded.matches("password", "hash"));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mostAtOnce.get()).isEqualTo(2);
        assertThat(bounded.availablePermits()).isEqualTo(2);
    }

    @Test
    void waitingTooLongIsABusyErrorNotAWrongPassword() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        PasswordEncoder blocking = new CountingEncoder(new AtomicInteger(), new AtomicInteger()) {
            @Override
            public boolean matches(CharSequence raw, String encoded) {
                try {
                    release.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }
        };
        BoundedPasswordEncoder bounded = new BoundedPasswordEncoder(blocking, 1, 100, OUTSIDE_REQUESTS);
        Thread holder = new Thread(() -> bounded.matches("a", "b"));
        holder.start();
        Thread.sleep(50);
        assertThatThrownBy(() -> bounded.matches("a", "b")).isInstanceOf(PasswordHashingBusyException.class);
        release.countDown();
        holder.join();
        assertThat(bounded.matches("a", "b")).isTrue();
    }

    @Test
    void realEncoderHashesWithBcryptCost12() {
        PasswordEncoder encoder = new PasswordHashingConfiguration().passwordEncoder(new PasswordHashingProperties(0, 10_000L), OUTSIDE_REQUESTS);
        String hash = encoder.encode("correct horse");
        assertThat(hash).startsWith("{bcrypt}$2a$12$");
        assertThat(encoder.matches("correct horse", hash)).isTrue();
        assertThat(encoder.matches("wrong horse", hash)).isFalse();
    }

    private static class CountingEncoder implements PasswordEncoder {

        private final AtomicInteger running;
        private final AtomicInteger mostAtOnce;

        CountingEncoder(AtomicInteger running, AtomicInteger mostAtOnce) {
            this.running = running;
            this.mostAtOnce = mostAtOnce;
        }

        @Override
        public String encode(CharSequence raw) {
            return "x";
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(30);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return true;
        }
    }
}
