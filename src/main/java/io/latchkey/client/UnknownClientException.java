package io.latchkey.client;

/** There is no client with this id (or the id could name none). */
public class UnknownClientException extends RuntimeException {

    UnknownClientException(String clientId) {
        super("There is no such client");
    }
}
