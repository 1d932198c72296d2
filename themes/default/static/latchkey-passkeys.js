/*
 * Passkeys on the hosted pages, through the server's WebAuthn JSON endpoints (Spring Security's):
 * - Sign-in page: the button #passkey-sign-in asks for any passkey of this site (no username), and, where the browser
 *   offers it, passkey autofill in the email field (conditional mediation) starts as soon as the page is shown.
 * - Passkeys page: the form #passkey-register creates a passkey with the name typed in #passkey-name.
 * Texts come from this script element's data-* attributes; the CSRF token from the page's forms. Nothing is inline,
 * so the Content-Security-Policy (script-src 'self') stays as it is.
 */
(function () {
    'use strict';

    var script = document.currentScript;
    var texts = script ? script.dataset : {};
    var ceremony = null;

    function toBase64Url(buffer) {
        var bytes = new Uint8Array(buffer);
        var binary = '';
        for (var i = 0; i < bytes.length; i++) {
            binary += String.fromCharCode(bytes[i]);
        }
        return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    }

    function fromBase64Url(text) {
        var binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
        var bytes = new Uint8Array(binary.length);
        for (var i = 0; i < binary.length; i++) {
            bytes[i] = binary.charCodeAt(i);
        }
        return bytes.buffer;
    }

    function csrfHeaders() {
        var token = document.querySelector('input[name="_csrf"]');
        var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
        if (token) {
            headers['X-CSRF-TOKEN'] = token.value;
        }
        return headers;
    }

    function post(url, body) {
        return fetch(url, {
            method: 'POST', headers: csrfHeaders(), credentials: 'same-origin',
            body: body === undefined ? undefined : JSON.stringify(body)
        }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (json) {
                if (!response.ok) {
                    var failure = new Error(json.error || ('HTTP ' + response.status));
                    failure.code = json.error || 'failed';
                    throw failure;
                }
                return json;
            });
        });
    }

    /** A new ceremony cancels the one before (autofill waits in the background until the user picks a passkey). */
    function newSignal() {
        if (ceremony) {
            ceremony.abort();
        }
        ceremony = new AbortController();
        return ceremony.signal;
    }

    function supported() {
        return !!(window.PublicKeyCredential && navigator.credentials && window.isSecureContext);
    }

    function messageFor(error) {
        if (error && (error.name === 'NotAllowedError' || error.name === 'AbortError')) {
            return texts.errorCancelled || 'The passkey request was cancelled or timed out.';
        }
        if (error && error.code === 'sign_in_again') {
            return texts.errorSignInAgain || 'Sign in again to add a passkey.';
        }
        if (error && error.code === 'invalid_name') {
            return texts.errorName || 'Give the passkey a name.';
        }
        if (error && error.name === 'InvalidStateError') {
            return texts.errorExists || 'This authenticator already has a passkey for your account.';
        }
        return texts.errorFailed || 'That did not work. Try again.';
    }

    function showError(message) {
        var box = document.getElementById('passkey-error');
        if (box) {
            box.textContent = message;
            box.hidden = false;
            box.focus();
        }
    }

    function signIn(conditional) {
        return post('/webauthn/authenticate/options').then(function (options) {
            options.challenge = fromBase64Url(options.challenge);
            options.allowCredentials = (options.allowCredentials || []).map(function (credential) {
                return Object.assign({}, credential, { id: fromBase64Url(credential.id) });
            });
            var request = { publicKey: options, signal: newSignal() };
            if (conditional) {
                request.mediation = 'conditional';
            }
            return navigator.credentials.get(request);
        }).then(function (credential) {
            var response = credential.response;
            return post('/login/webauthn', {
                id: credential.id,
                rawId: toBase64Url(credential.rawId),
                response: {
                    authenticatorData: toBase64Url(response.authenticatorData),
                    clientDataJSON: toBase64Url(response.clientDataJSON),
                    signature: toBase64Url(response.signature),
                    userHandle: response.userHandle ? toBase64Url(response.userHandle) : undefined
                },
                credType: credential.type,
                clientExtensionResults: credential.getClientExtensionResults(),
                authenticatorAttachment: credential.authenticatorAttachment
            });
        }).then(function (answer) {
            window.location.assign(answer.redirectUrl || '/');
        });
    }

    function setUpSignIn(button) {
        if (!supported()) {
            button.addEventListener('click', function () {
                showError(texts.errorUnsupported || 'This browser cannot use passkeys.');
            });
            return;
        }
        button.addEventListener('click', function () {
            signIn(false).catch(function (error) {
                showError(messageFor(error));
            });
        });
        // autofill needs an email field that offers passkeys (the sign-in page); a step-up page has none
        var autofillField = document.querySelector('input[autocomplete~="webauthn"]');
        if (autofillField && window.PublicKeyCredential.isConditionalMediationAvailable) {
            window.PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
                if (available) {
                    // autofill: silent until the user picks a passkey; a click on the button replaces it
                    signIn(true).catch(function (error) {
                        if (error && error.name !== 'AbortError') {
                            showError(messageFor(error));
                        }
                    });
                }
            });
        }
    }

    function register(name) {
        return post('/webauthn/register/options').then(function (options) {
            options.challenge = fromBase64Url(options.challenge);
            options.user = Object.assign({}, options.user, { id: fromBase64Url(options.user.id) });
            options.excludeCredentials = (options.excludeCredentials || []).map(function (credential) {
                return Object.assign({}, credential, { id: fromBase64Url(credential.id) });
            });
            return navigator.credentials.create({ publicKey: options, signal: newSignal() });
        }).then(function (credential) {
            var response = credential.response;
            return post('/webauthn/register', {
                publicKey: {
                    label: name,
                    credential: {
                        id: credential.id,
                        rawId: toBase64Url(credential.rawId),
                        type: credential.type,
                        response: {
                            attestationObject: toBase64Url(response.attestationObject),
                            clientDataJSON: toBase64Url(response.clientDataJSON),
                            transports: response.getTransports ? response.getTransports() : []
                        },
                        clientExtensionResults: credential.getClientExtensionResults(),
                        authenticatorAttachment: credential.authenticatorAttachment
                    }
                }
            });
        });
    }

    function setUpRegistration(form) {
        form.addEventListener('submit', function (event) {
            event.preventDefault();
            if (!supported()) {
                showError(texts.errorUnsupported || 'This browser cannot use passkeys.');
                return;
            }
            var name = document.getElementById('passkey-name').value.trim();
            if (!name) {
                showError(messageFor({ code: 'invalid_name' }));
                return;
            }
            var button = form.querySelector('button[type="submit"]');
            button.disabled = true;
            register(name).then(function () {
                window.location.assign(form.dataset.done || window.location.pathname);
            }).catch(function (error) {
                button.disabled = false;
                showError(messageFor(error));
            });
        });
    }

    function start() {
        var button = document.getElementById('passkey-sign-in');
        if (button) {
            setUpSignIn(button);
        }
        var form = document.getElementById('passkey-register');
        if (form) {
            setUpRegistration(form);
        }
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    }
    else {
        start();
    }
}());
