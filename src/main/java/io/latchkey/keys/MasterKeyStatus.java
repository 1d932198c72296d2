package io.latchkey.keys;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells the operator, at start and after a re-seal, what is still stored under master keys other than the
 * current one, and so when a previous key ({@code LATCHKEY_MASTER_KEY_PREVIOUS}) may be dropped: once nothing
 * names it. Never logs a key, only key ids.
 */
@Component
class MasterKeyStatus {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyStatus.class);

    private final MasterKey masterKey;
    private final List<MasterKeyDependent> dependents;

    MasterKeyStatus(MasterKey masterKey, List<MasterKeyDependent> dependents) {
        this.masterKey = masterKey;
        this.dependents = dependents;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        if (!masterKey.previousIds().isEmpty()) {
            try {
                report();
            }
            catch (RuntimeException ex) {
                log.warn("Could not tell what is still stored under previous master keys: {}", ex.getMessage());
            }
        }
    }

    /** Logs what remains under other keys; returns it. */
    List<MasterKeyDependent.Remaining> report() {
        List<MasterKeyDependent.Remaining> remaining = new ArrayList<>();
        dependents.forEach(dependent -> remaining.addAll(dependent.remainingUnderOtherKeys()));
        for (MasterKeyDependent.Remaining item : remaining) {
            String until = item.usableUntil() == null ? "" : ", usable until " + item.usableUntil();
            if (item.masterKeyId() == null) {
                log.info("Still under the master key from before key ids: {} {}{}", item.count(), item.what(), until);
            }
            else if (masterKey.knows(item.masterKeyId())) {
                log.info("Still under previous master key {}: {} {}{}", item.masterKeyId(), item.count(), item.what(),
                        until);
            }
            else {
                log.warn("{} {} are under master key {}, which is neither LATCHKEY_MASTER_KEY nor in "
                        + "LATCHKEY_MASTER_KEY_PREVIOUS: they are refused. If that key should still be accepted, add it "
                        + "to LATCHKEY_MASTER_KEY_PREVIOUS", item.count(), item.what(), item.masterKeyId());
            }
        }
        boolean legacy = remaining.stream().anyMatch(item -> item.masterKeyId() == null);
        for (String previous : masterKey.previousIds()) {
            if (!legacy && remaining.stream().noneMatch(item -> previous.equals(item.masterKeyId()))) {
                log.warn("Nothing stored is under previous master key {} (LATCHKEY_MASTER_KEY_PREVIOUS): if it is the "
                        + "key you rotated from, it can be removed; if you are about to rotate to it, this is expected; "
                        + "otherwise check the setting", previous);
            }
        }
        if (remaining.isEmpty()) {
            log.info("Everything stored is under the current master key {}", masterKey.currentId());
        }
        return remaining;
    }
}
