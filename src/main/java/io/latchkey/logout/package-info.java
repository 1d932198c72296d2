/**
 * OpenID Connect Back-Channel Logout 1.0: which clients got ID tokens in which browser session, and, when a
 * session ends on purpose, a signed logout token POSTed to each of them that registered a back-channel logout
 * URI, through an outbox in the database with retries.
 */
package io.latchkey.logout;
