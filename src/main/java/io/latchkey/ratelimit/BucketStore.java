package io.latchkey.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;

/** Where the token buckets live: in PostgreSQL (shared by every instance) or, on H2, in this instance's memory. */
interface BucketStore {

    /** The bucket of this key; a new key starts with a full bucket of the given configuration. */
    Bucket bucket(String key, BucketConfiguration configuration);

    /** Forgets the key's bucket: it is full again on next use. */
    void remove(String key);

    /** Deletes buckets that have refilled completely and so hold nothing worth keeping. */
    void purgeExpired();
}
