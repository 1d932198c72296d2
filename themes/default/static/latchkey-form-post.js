/*
 * The authorization response page of response_mode=form_post: submits its form to the application at once.
 * Without JavaScript the page shows the form's button instead. A file, not inline script, so the
 * Content-Security-Policy (script-src 'self') stays as it is.
 */
(function () {
    'use strict';

    function submit() {
        var form = document.getElementById('form-post');
        if (form) {
            form.submit();
        }
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', submit);
    }
    else {
        submit();
    }
}());
