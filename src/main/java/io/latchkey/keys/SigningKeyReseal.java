package io.latchkey.keys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-encrypts private signing keys under the current master key. The kid, public key and key itself stay the
 * same: tokens they signed keep verifying and the JWKS does not change. Each row is replaced only if its sealed
 * value is still the one read, so a rotation or another re-seal running at the same time loses nothing.
 */
@Component
class SigningKeyReseal implements MasterKeyDependent {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyReseal.class);

    private final SigningKeyRepository repository;
    private final MasterKey masterKey;
    private final TransactionTemplate transactions;

    SigningKeyReseal(SigningKeyRepository repository, MasterKey masterKey, TransactionTemplate transactions) {
        this.repository = repository;
        this.masterKey = masterKey;
        this.transactions = transactions;
    }

    @Override
    public int resealUnderCurrentKey() {
        int count = 0;
        for (StoredSigningKey key : repository.findAll()) {
            if (sealedUnderCurrentKey(key)) {
                continue;
            }
            String resealed = masterKey.seal(masterKey.open(key.privateJwkEncrypted(), key.kid()), key.kid());
            if (Boolean.TRUE.equals(transactions.execute(
                    status -> repository.replaceSealed(key.kid(), key.privateJwkEncrypted(), resealed)))) {
                count++;
                log.info("Signing key {} re-sealed under master key {}", key.kid(), masterKey.currentId());
            }
        }
        return count;
    }

    @Override
    public List<Remaining> remainingUnderOtherKeys() {
        Map<String, List<StoredSigningKey>> byMasterKey = new LinkedHashMap<>();
        for (StoredSigningKey key : repository.findAll()) {
            if (!sealedUnderCurrentKey(key)) {
                byMasterKey.computeIfAbsent(MasterKey.sealedUnder(key.privateJwkEncrypted()).orElse(null),
                        id -> new ArrayList<>()).add(key);
            }
        }
        List<Remaining> remaining = new ArrayList<>();
        byMasterKey.forEach((id, keys) -> remaining.add(new Remaining("signing keys (re-seal them)", id, keys.size(),
                null)));
        return remaining;
    }

    private boolean sealedUnderCurrentKey(StoredSigningKey key) {
        return MasterKey.sealedUnder(key.privateJwkEncrypted()).map(masterKey.currentId()::equals).orElse(false);
    }
}
