package io.latchkey.passkey;

import java.util.Map;

import io.latchkey.support.BrowserSession;

/**
 * WebAuthn ceremonies and raw requests run inside the test browser's page, so they carry its session cookie and the
 * page's CSRF token: valid registrations and assertions made by the virtual authenticator, to be sent as they are,
 * replayed or tampered with.
 */
final class PasskeyScripts {

    private static final String LIBRARY = """
            const done = arguments[arguments.length - 1];
            const b64 = buffer => btoa(String.fromCharCode(...new Uint8Array(buffer)))
                .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
            const unb64 = text => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), c => c.charCodeAt(0)).buffer;
            const csrf = () => document.querySelector('input[name="_csrf"]').value;
            const post = (url, body, contentType) => fetch(url, { method: 'POST',
                    headers: { 'Content-Type': contentType || 'application/json', 'X-CSRF-TOKEN': csrf() }, body })
                .then(async r => ({ status: r.status, type: r.headers.get('content-type'), body: await r.text(), url: r.url }));
            const registrationOptions = () => post('/webauthn/register/options').then(r => JSON.parse(r.body));
            const create = options => navigator.credentials.create({ publicKey: Object.assign({}, options, {
                    challenge: unb64(options.challenge),
                    user: Object.assign({}, options.user, { id: unb64(options.user.id) }),
                    excludeCredentials: (options.excludeCredentials || []).map(c => Object.assign({}, c, { id: unb64(c.id) }))
                }) }).then(c => ({ id: c.id, rawId: b64(c.rawId), type: c.type,
                    response: { attestationObject: b64(c.response.attestationObject),
                        clientDataJSON: b64(c.response.clientDataJSON), transports: c.response.getTransports() },
                    clientExtensionResults: c.getClientExtensionResults(), authenticatorAttachment: c.authenticatorAttachment }));
            const fail = error => done({ error: String(error) });
            """;

    private PasskeyScripts() {
    }

    /** Runs {@code body} (which ends by calling {@code done}) after the library; returns what it passed on. */
    @SuppressWarnings("unchecked")
    static <T> T run(BrowserSession browser, String body, Object... arguments) {
        return (T) browser.driver().executeAsyncScript(LIBRARY + body, arguments);
    }

    /** POSTs {@code body} as it is; the answer's status, content type, body and final URL. */
    static Map<String, Object> post(BrowserSession browser, String path, String body) {
        return run(browser, "post(arguments[0], arguments[1]).then(done, fail);", path, body);
    }

    /** POSTs a form (with the page's CSRF token), following redirects; the answer's status and final URL. */
    static Map<String, Object> postForm(BrowserSession browser, String path, Map<String, String> fields) {
        return run(browser, """
                const form = new URLSearchParams(arguments[1]);
                form.append('_csrf', csrf());
                fetch(arguments[0], { method: 'POST', body: form }).then(r => done({ status: r.status, url: r.url }), fail);
                """, path, fields);
    }

    /** Fresh creation options from the server, then a credential made for them: the registration body's credential. */
    static String newCredential(BrowserSession browser) {
        return text(run(browser, "registrationOptions().then(create).then(c => done(JSON.stringify(c)), fail);"));
    }

    /** The creation options the server hands out now (their challenge is the session's from then on). */
    static String registrationOptions(BrowserSession browser) {
        return text(run(browser, "registrationOptions().then(o => done(JSON.stringify(o)), fail);"));
    }

    /** The script's text result; a failure it reported ({@code {error: ...}}) fails the test with its message. */
    static String text(Object result) {
        if (result instanceof String text) {
            return text;
        }
        throw new AssertionError("The browser script failed: " + result);
    }

    static String registration(String credentialJson, String name) {
        return "{\"publicKey\":{\"credential\":" + credentialJson + ",\"label\":" + jsonString(name) + "}}";
    }

    static String jsonString(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            }
            else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            }
            else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }
}
