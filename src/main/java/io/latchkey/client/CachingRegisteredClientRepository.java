package io.latchkey.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Registered clients are read on every token request; this keeps them in memory. A change made here
 * evicts the entry at once and tells other instances ({@link ClientChangeNotifications}); entries also
 * expire after a while, as a safety net for changes made behind Latchkey's back.
 */
class CachingRegisteredClientRepository implements RegisteredClientRepository {

    static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);
    private static final int MAX_ENTRIES = 10_000;

    private final RegisteredClientRepository delegate;
    private final ClientChangeNotifications notifications;
    private final Clock clock;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final Map<String, Entry> byClientId = new ConcurrentHashMap<>();

    CachingRegisteredClientRepository(RegisteredClientRepository delegate, ClientChangeNotifications notifications,
            Clock clock) {
        this.delegate = delegate;
        this.notifications = notifications;
        this.clock = clock;
        notifications.onChange(this::evictAll);
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        delegate.save(registeredClient);
        evictAll();
        notifications.publishChange(registeredClient.getClientId());
    }

    @Override
    public RegisteredClient findById(String id) {
        return cached(byId, id, () -> delegate.findById(id));
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return cached(byClientId, clientId, () -> delegate.findByClientId(clientId));
    }

    /** Changes are rare: dropping everything keeps the two indexes trivially consistent. */
    void evictAll() {
        byId.clear();
        byClientId.clear();
    }

    private RegisteredClient cached(Map<String, Entry> cache, String key, java.util.function.Supplier<RegisteredClient> loader) {
        if (key == null || key.indexOf('\0') >= 0) {
            // no client id holds a NUL, and PostgreSQL refuses one in a query: it names no client
            return null;
        }
        Instant now = clock.instant();
        Entry entry = cache.get(key);
        if (entry != null && entry.expiresAt().isAfter(now)) {
            return entry.client();
        }
        RegisteredClient client = loader.get();
        if (client != null) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            // unknown client ids are not cached, so guessing them cannot fill memory
            cache.put(key, new Entry(client, now.plus(TIME_TO_LIVE)));
        }
        return client;
    }

    private record Entry(RegisteredClient client, Instant expiresAt) {
    }
}
