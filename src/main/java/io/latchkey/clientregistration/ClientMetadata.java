package io.latchkey.clientregistration;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;

/**
 * The client metadata of a registration or update request (RFC 7591 section 2, OpenID Connect Dynamic Client
 * Registration 1.0 section 2, RP-Initiated Logout and Back-Channel Logout, RFC 9126 section 6, RFC 9449 section 5.2): the fields Latchkey registers, bound by
 * Jackson ({@link RegistrationRequests}). Every other field is ignored (RFC 7591 section 2). A list may not hold
 * null. {@code client_id} and {@code client_secret} matter only to an update (RFC 7592 section 2.2).
 */
record ClientMetadata(
        @JsonProperty("redirect_uris") @JsonSetter(contentNulls = Nulls.FAIL) List<String> redirectUris,
        @JsonProperty("post_logout_redirect_uris") @JsonSetter(contentNulls = Nulls.FAIL)
        List<String> postLogoutRedirectUris,
        @JsonProperty("grant_types") @JsonSetter(contentNulls = Nulls.FAIL) List<String> grantTypes,
        @JsonProperty("response_types") @JsonSetter(contentNulls = Nulls.FAIL) List<String> responseTypes,
        @JsonProperty("token_endpoint_auth_method") String tokenEndpointAuthMethod,
        @JsonProperty("client_name") String clientName,
        @JsonProperty("logo_uri") String logoUri,
        @JsonProperty("scope") String scope,
        @JsonProperty("backchannel_logout_uri") String backchannelLogoutUri,
        @JsonProperty("software_statement") String softwareStatement,
        @JsonProperty("client_id") String clientId,
        @JsonProperty("client_secret") String clientSecret,
        @JsonProperty("jwks") Map<String, Object> jwks,
        @JsonProperty("jwks_uri") String jwksUri,
        @JsonProperty("subject_type") String subjectType,
        @JsonProperty("sector_identifier_uri") String sectorIdentifierUri,
        @JsonProperty("require_pushed_authorization_requests") Boolean requirePushedAuthorizationRequests,
        @JsonProperty("dpop_bound_access_tokens") Boolean dpopBoundAccessTokens) {

    /** The same metadata with the fields a verified software statement sets taken from it (RFC 7591 section 2.3). */
    ClientMetadata overriddenBy(ClientMetadata statement) {
        return new ClientMetadata(pick(statement.redirectUris, redirectUris),
                pick(statement.postLogoutRedirectUris, postLogoutRedirectUris), pick(statement.grantTypes, grantTypes),
                pick(statement.responseTypes, responseTypes),
                pick(statement.tokenEndpointAuthMethod, tokenEndpointAuthMethod), pick(statement.clientName, clientName),
                pick(statement.logoUri, logoUri), pick(statement.scope, scope),
                pick(statement.backchannelLogoutUri, backchannelLogoutUri), softwareStatement, clientId, clientSecret,
                pick(statement.jwks, jwks), pick(statement.jwksUri, jwksUri), pick(statement.subjectType, subjectType),
                pick(statement.sectorIdentifierUri, sectorIdentifierUri),
                pick(statement.requirePushedAuthorizationRequests, requirePushedAuthorizationRequests),
                pick(statement.dpopBoundAccessTokens, dpopBoundAccessTokens));
    }

    private static <T> T pick(T fromStatement, T fromRequest) {
        return fromStatement != null ? fromStatement : fromRequest;
    }
}
