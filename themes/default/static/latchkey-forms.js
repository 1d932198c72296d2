/*
 * Latchkey's hosted forms, a little friendlier with JavaScript; without it they work the same.
 * - After a failed submit the error summary takes the focus (its autofocus attribute asks for the same).
 * - Each visible password field gets a button that shows and hides what was typed.
 * - A new password's field with data-length-count="<id>" counts its characters into that element, whose
 *   data-template says how ("{count} of at least 12 characters").
 * Texts come from the page (this script element's data-show-password and data-hide-password): nothing is
 * inline, so the Content-Security-Policy (script-src 'self') stays as it is.
 */
(function () {
    'use strict';

    var texts = document.currentScript ? document.currentScript.dataset : {};

    function focusErrorSummary() {
        var summary = document.querySelector('.error-summary');
        if (summary) {
            summary.focus();
        }
    }

    function addRevealButton(input) {
        var wrapper = document.createElement('div');
        wrapper.className = 'password-field';
        input.parentNode.insertBefore(wrapper, input);
        wrapper.appendChild(input);

        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'reveal';
        button.id = input.id + '-reveal';
        button.setAttribute('aria-controls', input.id);
        wrapper.appendChild(button);

        function show(visible) {
            input.type = visible ? 'text' : 'password';
            button.textContent = visible ? (texts.hidePassword || 'Hide password') : (texts.showPassword || 'Show password');
            button.setAttribute('aria-pressed', visible ? 'true' : 'false');
        }

        show(false);
        button.addEventListener('click', function () {
            show(input.type === 'password');
        });
        // a shown password is never sent as a text field: browsers would offer it again in other forms
        if (input.form) {
            input.form.addEventListener('submit', function () {
                show(false);
            });
        }
    }

    function countLength(input) {
        var output = document.getElementById(input.dataset.lengthCount);
        if (!output || !output.dataset.template) {
            return;
        }
        function update() {
            // code points, as the server counts them: an emoji is one character
            var count = Array.from(input.value).length;
            output.textContent = output.dataset.template.replace('{count}', String(count));
        }
        output.hidden = false;
        update();
        input.addEventListener('input', update);
    }

    function enhance() {
        focusErrorSummary();
        document.querySelectorAll('input[type=password]').forEach(addRevealButton);
        document.querySelectorAll('input[data-length-count]').forEach(countLength);
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', enhance);
    }
    else {
        enhance();
    }
}());
