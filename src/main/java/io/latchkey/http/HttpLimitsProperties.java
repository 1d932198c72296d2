package io.latchkey.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code latchkey.http.*}: how much a request may bring.
 *
 * @param maxRequestBody the largest request body, chunked or not; larger ones get 413
 * @param maxParameters the most query and form parameters in one request; more get 400
 * @param maxHeaderSize the largest request line and headers together; larger ones get 400 from the container
 */
@ConfigurationProperties("latchkey.http")
public record HttpLimitsProperties(DataSize maxRequestBody, Integer maxParameters, DataSize maxHeaderSize) {

    public HttpLimitsProperties {
        maxRequestBody = maxRequestBody == null ? DataSize.ofKilobytes(64) : maxRequestBody;
        maxParameters = maxParameters == null ? 1000 : maxParameters;
        maxHeaderSize = maxHeaderSize == null ? DataSize.ofKilobytes(16) : maxHeaderSize;
        if (maxRequestBody.toBytes() < 1024 || maxRequestBody.toBytes() > DataSize.ofGigabytes(1).toBytes()) {
            throw new IllegalArgumentException("latchkey.http.max-request-body must be between 1KB and 1GB");
        }
        if (maxParameters < 1) {
            throw new IllegalArgumentException("latchkey.http.max-parameters must be at least 1");
        }
        // the container keeps a buffer of this size for every connection
        if (maxHeaderSize.toBytes() < 1024 || maxHeaderSize.toBytes() > DataSize.ofMegabytes(1).toBytes()) {
            throw new IllegalArgumentException("latchkey.http.max-header-size must be between 1KB and 1MB");
        }
    }
}
