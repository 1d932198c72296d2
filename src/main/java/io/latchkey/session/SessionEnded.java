package io.latchkey.session;

/**
 * A signed-in browser session has ended on purpose: the user signed out, ended it from the account page,
 * or an account change (password, disable, delete, forced reset, "sign out everywhere") ended it. Published
 * once per ended session, on the instance that ended it, after the session is gone from the shared store.
 * Sessions that merely time out are not announced.
 *
 * @param sessionId the session's id as the servlet container knew it (never logged; a bearer credential)
 * @param userId the signed-in user's id (the principal name)
 */
public record SessionEnded(String sessionId, String userId) {

    @Override
    public String toString() {
        return "SessionEnded[userId=" + userId + "]";
    }
}
