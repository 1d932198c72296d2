package io.latchkey.http;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;

import io.latchkey.support.RawHttp;

/**
 * Malformed requests for one endpoint, generated from a seeded {@link Random}: the same seed gives the same
 * requests, byte for byte. Each request starts from the endpoint's well-formed shape ({@link Target}) and
 * breaks it in one way: in its fields (missing, hostile, overlong, mistyped, repeated), in how they are
 * encoded (bad percent-encoding, invalid UTF-8, too many, broken or deeply nested JSON, the wrong content
 * type), in its size (over the body limit, with and without chunking), in its headers (huge, too many,
 * undecodable, garbage credentials, cookies, languages), in its path or method, or by replaying something
 * already used.
 */
final class FuzzRequests {

    /** Who calls an endpoint, and so which {@code Accept} header its requests carry. */
    enum Kind {
        /** OAuth endpoints that machines call. */
        OAUTH_JSON,
        /** OAuth endpoints a browser is sent to (authorization, consent, logout). */
        BROWSER_PROTOCOL,
        /** The first-party API and its documentation. */
        API,
        /** Hosted pages. */
        PAGE
    }

    enum Encoding { QUERY, FORM, JSON }

    /**
     * An endpoint in its well-formed shape. {@code credentials} are headers (and, for forms, fields such as
     * {@code _csrf}) that authenticate the request; only the first {@code credentialedCases} requests carry
     * them when checking them costs a password hash (wrong sign-ins, wrong current passwords), so that the run
     * stays fast; the rest test the same endpoint without them.
     */
    record Target(String name, String method, String path, Kind kind, Encoding encoding, Map<String, Object> fields,
            List<Map.Entry<String, String>> credentialHeaders, Map<String, String> credentialFields,
            int credentialedCases) {

        Target {
            fields = new LinkedHashMap<>(fields);
        }

        Target withCredentials(List<Map.Entry<String, String>> headers, Map<String, String> formFields, int cases) {
            return new Target(name, method, path, kind, encoding, fields, headers, formFields, cases);
        }
    }

    /** One generated request: which endpoint it was aimed at, how it was broken, and its bytes. */
    record Case(Target target, String mutation, byte[] bytes) {
    }

    /** A JSON fragment written into a body as it is (not as a string). */
    record RawJson(String json) {
    }

    /** Things already used once, replayed. */
    record Replays(String usedCode, String rotatedRefreshToken, String staleCsrf, String otherSessionCookie) {
    }

    static final List<String> HOSTILE = List.of("' OR '1'='1", "'; DROP TABLE users; --", "\" OR 1=1 --",
            "1; SELECT pg_sleep(10)", "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
            "javascript:alert(1)", "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "#{7*7}", "__${T(java.lang.Runtime).getRuntime()}__::.x",
            "*{7*7}", "../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "%00", "\u0000", "a\u0000b",
            "\r\nSet-Cookie: injected=1", "%0d%0aLocation:%20http://evil.test", "😀\u202e\u200b\ufeff",
            "\u01c5\u0301\u0327\u0489", "\uffff\ufffe", "\u2028\u2029", "\t\n\r", " ", "", "null", "undefined", "NaN",
            "-1", "99999999999999999999999999999", "1e309", "true", "[]", "{}", "%s%s%n%x", "\\", "\\u0000",
            "admin@latchkey.test' --", "<!--", "]]>", "$(id)", "`id`", "|| ls", "é".repeat(50),
            "\u0635\u0648\u0631\u0629", "\ud83d\ude00".repeat(30), "a@b", "@", "x@y.z\u0000@evil.test");
    private static final List<String> BAD_PERCENT = List.of("%", "%z", "%zz", "%E0%A4", "%C0%AF", "%FF%FE", "%ED%A0%80",
            "%F4%90%80%80", "%%", "%2", "%u0041", "%C3");
    private static final List<byte[]> INVALID_UTF8 = List.of(new byte[] { (byte) 0xff }, new byte[] { (byte) 0xc0, (byte) 0xaf },
            new byte[] { (byte) 0xe0, (byte) 0xa4 }, new byte[] { (byte) 0xed, (byte) 0xa0, (byte) 0x80 },
            new byte[] { (byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80 }, new byte[] { (byte) 0x80 });
    private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml", "text/html",
            "multipart/form-data; boundary=fuzz", "multipart/form-data", "application/octet-stream",
            "application/json; charset=utf-42", "application/x-www-form-urlencoded; charset=utf-42", "*/*", "garbage",
            "application/json;;;", "application/x-www-form-urlencoded", "application/json", "", "application/jwt",
            "application/x-www-form-urlencoded; charset=ISO-8859-1", "application/json; charset=UTF-16");
    private static final List<String> BROKEN_JSON = List.of("{", "}", "{\"email\":", "{\"email\" \"a\"}", "[", "[1,2",
            "{\"a\":NaN}", "{\"a\":Infinity}", "{'email':'a@b.c'}", "{\"a\":1}/*comment*/", "// comment\n{}",
            "\ufeff{}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"unterminated}", "{\"a\":01}", "{\"a\":-}",
            "{\"a\":1.}", "{\"a\" : tru}", "{,}", "{\"a\":1,,\"b\":2}", "nul", "\"\\ud800\"", "{\"\\u0000\":1}",
            "{\"email\":\"a@b.c\"}{\"email\":\"d@e.f\"}", "\u0000{}", "{\"a\":\"\u0001\"}");
    private static final List<RawJson> WRONG_TYPES = List.of(new RawJson("[]"), new RawJson("{}"), new RawJson("[1,2,3]"),
            new RawJson("{\"$ne\":1}"), new RawJson("1e999"), new RawJson("-0"), new RawJson("true"), new RawJson("null"),
            new RawJson("12345678901234567890123456789012345678901234567890"), new RawJson("[\"a\",{\"b\":[]}]"),
            new RawJson("\"\\ud800\""), new RawJson("\"\\udfff\\ud800\""), new RawJson("0.0000000000000000000001"));
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "HEAD",
            "FOO", "get", "PROPFIND", "CONNECT");
    private static final List<String> AUTHORIZATIONS = List.of("Basic", "Basic ", "Basic !!!", "Basic =",
            "Basic Og==" /* ":" */, "Basic " + base64("confidential-app:wrong-secret"), "Basic " + base64("nobody:x"),
            "Basic " + base64("\u0000:\u0000"), "Basic " + base64("%zz:%zz"), "Basic " + base64("a".repeat(3000) + ":b"),
            "Bearer", "Bearer ", "Bearer garbage", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
            "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl", "Bearer a.b.c.d.e", "Bearer ....",
            "Bearer " + "A".repeat(8000), "Digest username=\"x\"", "Negotiate YII=", "basic " + base64("a:b"),
            "Bearer x Bearer y", "Bearer ===", "Bearer \u00e9");
    private static final List<String> LANGUAGES = List.of("*", "de;q=x", "en-US,en;q=0.9,de;q=0.8", "xx-YY",
            ";;;;", "de-DE-u-co-phonebk", "a".repeat(300), "en;q=1.5", "en;q=-1", ",,,", "zh-Hant-TW;q=0.5, *;q=0.1");
    private static final List<String> COOKIES = List.of("JSESSIONID=garbage", "JSESSIONID=", "JSESSIONID=\"quoted\"",
            "JSESSIONID=" + "A".repeat(4000), "=", ";;;", "latchkey-lang=xx", "latchkey-lang=%zz", "a=b; a=c; a=d",
            "JSESSIONID=../../etc/passwd", "XSRF-TOKEN=abc");
    private static final List<String> FORWARDED = List.of("garbage", "999.999.999.999", "127.0.0.1, garbage", ",,,",
            "::1", "[::1]", "unknown", "127.0.0.1:80", "1.2.3.4.5", "fe80::1%eth0");
    private static final List<String> PATH_SUFFIXES = List.of("/", "//", ";jsessionid=abc", ";a=b", "%20", "%00",
            "%2F", "%2e", "/.", "/..", "/%2e%2e", "/%2e%2e/%2e%2e/etc/passwd", "%5C", "\\", "?", "#frag", ".json",
            "~", "%ZZ", "/%c0%ae%c0%ae/");

    private final Random random;
    private final Replays replays;
    private int generated;

    FuzzRequests(Random random, Replays replays) {
        this.random = random;
        this.replays = replays;
    }

    /**
     * {@code count} malformed requests for the target. A {@code {n}} in a field's value becomes a number unique
     * to the request, so that per-address limits (which count even addresses that are not valid) are not hit.
     */
    List<Case> forTarget(Target target, int count) {
        List<Mutation> mutations = mutations(target);
        List<Case> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Mutation mutation = mutations.get(random.nextInt(mutations.size()));
            Draft draft = new Draft(target, i < target.credentialedCases());
            int unique = ++generated;
            draft.fields.replaceAll((name, value) -> value instanceof String text
                    ? text.replace("{n}", Integer.toString(unique)) : value);
            mutation.apply().accept(draft, random);
            cases.add(new Case(target, mutation.name(), draft.bytes()));
        }
        return cases;
    }

    private record Mutation(String name, BiConsumer<Draft, Random> apply) {
    }

    private List<Mutation> mutations(Target target) {
        List<Mutation> all = new ArrayList<>();
        if (!target.fields().isEmpty()) {
            all.add(new Mutation("missing field", (draft, r) -> draft.fields.remove(pickKey(draft.fields, r))));
            all.add(new Mutation("no fields", (draft, r) -> draft.fields.clear()));
            all.add(new Mutation("hostile value", (draft, r) -> draft.fields.put(pickKey(draft.fields, r), pick(HOSTILE, r))));
            all.add(new Mutation("hostile value", (draft, r) -> draft.fields.put(pickKey(draft.fields, r), pick(HOSTILE, r))));
            all.add(new Mutation("long value", (draft, r) -> draft.fields.put(pickKey(draft.fields, r),
                    "x".repeat(1 + r.nextInt(60_000)))));
            all.add(new Mutation("random unicode", (draft, r) -> draft.fields.put(pickKey(draft.fields, r), randomUnicode(r))));
            all.add(new Mutation("repeated field", (draft, r) -> draft.repeatField(pickKey(draft.fields, r))));
        }
        all.add(new Mutation("unknown fields", (draft, r) -> {
            for (int i = 0; i < 1 + r.nextInt(5); i++) {
                draft.fields.put(pick(List.of("roles", "admin", "id", "__proto__", "constructor", "grant_type", "scope",
                        "_method", "class.module.classLoader", "userId", "emailVerified"), r) + (i == 0 ? "" : i), pick(HOSTILE, r));
            }
        }));
        if (target.encoding() == Encoding.JSON) {
            all.add(new Mutation("wrong JSON type", (draft, r) -> draft.fields.put(
                    draft.fields.isEmpty() ? "email" : pickKey(draft.fields, r), pick(WRONG_TYPES, r))));
            all.add(new Mutation("broken JSON", (draft, r) -> draft.rawBody(pick(BROKEN_JSON, r).getBytes(StandardCharsets.UTF_8))));
            all.add(new Mutation("deep JSON", (draft, r) -> draft.rawBody(deepJson(r))));
            all.add(new Mutation("JSON that is not an object", (draft, r) -> draft.rawBody(pick(List.of("[]", "\"text\"", "123",
                    "null", "true", "[{}]", "\"" + "s".repeat(r.nextInt(50_000)) + "\""), r).getBytes(StandardCharsets.UTF_8))));
            all.add(new Mutation("duplicate JSON keys", (draft, r) -> draft.duplicateJsonKeys = true));
            all.add(new Mutation("many JSON members", (draft, r) -> {
                for (int i = 0; i < 3000; i++) {
                    draft.fields.put("k" + i, i);
                }
            }));
            all.add(new Mutation("long JSON name", (draft, r) -> draft.fields.put("n".repeat(1 + r.nextInt(60_000)), "v")));
            all.add(new Mutation("long JSON number", (draft, r) -> draft.fields.put(
                    draft.fields.isEmpty() ? "n" : pickKey(draft.fields, r), new RawJson("9".repeat(2 + r.nextInt(50_000))))));
        }
        else {
            all.add(new Mutation("bad percent-encoding", (draft, r) -> draft.percentGarbage(pick(BAD_PERCENT, r))));
            all.add(new Mutation("bad percent-encoding", (draft, r) -> draft.percentGarbage(pick(BAD_PERCENT, r))));
            all.add(new Mutation("form body as JSON", (draft, r) -> draft.contentType = "application/json"));
        }
        all.add(new Mutation("invalid UTF-8 in body", (draft, r) -> draft.rawBody(concat(
                "a=".getBytes(StandardCharsets.ISO_8859_1), pick(INVALID_UTF8, r), "&b=".getBytes(StandardCharsets.ISO_8859_1),
                pick(INVALID_UTF8, r)))));
        all.add(new Mutation("invalid UTF-8 in query", (draft, r) -> draft.rawQuery(concat(
                "lang=".getBytes(StandardCharsets.ISO_8859_1), pick(INVALID_UTF8, r)))));
        all.add(new Mutation("percent-encoded invalid UTF-8 in query", (draft, r) -> draft.rawQuery(
                ("lang=" + pick(BAD_PERCENT, r) + "&x=" + pick(BAD_PERCENT, r)).getBytes(StandardCharsets.ISO_8859_1))));
        all.add(new Mutation("too many parameters", (draft, r) -> draft.tooManyParameters(1001 + r.nextInt(4000), r.nextBoolean())));
        all.add(new Mutation("too many query parameters", (draft, r) -> draft.tooManyParameters(1001 + r.nextInt(2000), false)));
        all.add(new Mutation("oversized body", (draft, r) -> draft.oversize(65 * 1024 + r.nextInt(200_000), false)));
        all.add(new Mutation("oversized chunked body", (draft, r) -> draft.oversize(65 * 1024 + r.nextInt(200_000), true)));
        all.add(new Mutation("oversized chunked body", (draft, r) -> draft.oversize(65 * 1024 + r.nextInt(200_000), true)));
        all.add(new Mutation("chunked body", (draft, r) -> {
            draft.chunked = true;
            draft.chunkSize = 1 + r.nextInt(64);
        }));
        all.add(new Mutation("unknown transfer coding", (draft, r) -> {
            draft.header("Transfer-Encoding", pick(List.of("gzip", "identity", "x-fuzz", "gzip, chunked"), r));
            draft.contentLength = "";
        }));
        all.add(new Mutation("wrong content type", (draft, r) -> draft.contentType = pick(CONTENT_TYPES, r)));
        all.add(new Mutation("no content type", (draft, r) -> draft.contentType = null));
        all.add(new Mutation("binary body", (draft, r) -> {
            byte[] garbage = new byte[1 + r.nextInt(4000)];
            r.nextBytes(garbage);
            draft.rawBody(garbage);
        }));
        all.add(new Mutation("huge header", (draft, r) -> draft.header("X-Fuzz", "h".repeat(17_000 + r.nextInt(20_000)))));
        all.add(new Mutation("too many headers", (draft, r) -> {
            for (int i = 0; i < 150 + r.nextInt(100); i++) {
                draft.header("X-Fuzz-" + i, "v");
            }
        }));
        all.add(new Mutation("control characters in a header", (draft, r) -> draft.header(
                pick(List.of("Accept-Language", "User-Agent", "X-Fuzz", "Accept", "Origin", "Referer"), r),
                "a\u0001b\u007fc\u0000")));
        all.add(new Mutation("invalid UTF-8 in a header", (draft, r) -> draft.header(
                pick(List.of("Accept-Language", "User-Agent", "X-Fuzz", "Cookie", "Authorization", "Origin"), r),
                concat("x".getBytes(StandardCharsets.ISO_8859_1), pick(INVALID_UTF8, r)))));
        all.add(new Mutation("garbage Authorization", (draft, r) -> {
            draft.dropCredentialHeaders();
            draft.header("Authorization", pick(AUTHORIZATIONS, r));
        }));
        all.add(new Mutation("garbage Accept-Language", (draft, r) -> draft.header("Accept-Language", pick(LANGUAGES, r))));
        all.add(new Mutation("garbage Cookie", (draft, r) -> {
            draft.dropCookies();
            draft.header("Cookie", pick(COOKIES, r));
        }));
        all.add(new Mutation("garbage X-Forwarded-For", (draft, r) -> draft.header("X-Forwarded-For", pick(FORWARDED, r))));
        all.add(new Mutation("garbage Accept", (draft, r) -> draft.header("Accept", pick(List.of("garbage", "*/*;q=x",
                "application/xml", "text/plain", "image/png", ";;", "application/json;q=0, text/html;q=0"), r))));
        all.add(new Mutation("garbage Origin", (draft, r) -> draft.header("Origin", pick(List.of("null", "https://evil.test",
                "garbage", "https://spa.latchkey.test:99999", "file://"), r))));
        all.add(new Mutation("garbage Content-Length", (draft, r) -> draft.contentLength = pick(List.of("abc", "-1",
                "99999999999999999999", "1, 2", " "), r)));
        all.add(new Mutation("path variant", (draft, r) -> draft.path = (draft.path + pick(PATH_SUFFIXES, r))
                .getBytes(StandardCharsets.ISO_8859_1)));
        all.add(new Mutation("encoded path", (draft, r) -> draft.path = encodeOneLetter(draft.pathText(), r)
                .getBytes(StandardCharsets.ISO_8859_1)));
        all.add(new Mutation("upper-case path", (draft, r) -> draft.path = draft.pathText().toUpperCase(java.util.Locale.ROOT)
                .getBytes(StandardCharsets.ISO_8859_1)));
        all.add(new Mutation("invalid UTF-8 in path", (draft, r) -> draft.path = concat(draft.path, pick(INVALID_UTF8, r))));
        all.add(new Mutation("long path", (draft, r) -> draft.path = (draft.pathText() + "/" + "p".repeat(2000 + r.nextInt(9000)))
                .getBytes(StandardCharsets.ISO_8859_1)));
        all.add(new Mutation("other method", (draft, r) -> draft.method = pick(METHODS, r)));
        all.add(new Mutation("replayed", (draft, r) -> draft.replay(r)));
        return all;
    }

    /** The request being broken, rendered to bytes at the end. */
    private final class Draft {

        final Target target;
        final boolean credentialed;
        String method;
        byte[] path;
        Map<String, Object> fields;
        final List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
        String contentType;
        String contentLength;
        byte[] rawBody;
        byte[] rawQuery;
        byte[] extraQuery;
        boolean chunked;
        int chunkSize = 8192;
        boolean duplicateJsonKeys;
        String repeatedField;

        Draft(Target target, boolean credentialed) {
            this.target = target;
            this.credentialed = credentialed;
            this.method = target.method();
            this.path = target.path().getBytes(StandardCharsets.ISO_8859_1);
            this.fields = new LinkedHashMap<>(target.fields());
            if (credentialed) {
                target.credentialHeaders().forEach(header -> header(header.getKey(), header.getValue()));
                fields.putAll(target.credentialFields());
            }
            header("Accept", switch (target.kind()) {
                case OAUTH_JSON -> "application/json";
                case API -> "application/json, application/problem+json";
                case BROWSER_PROTOCOL, PAGE -> "text/html,application/xhtml+xml";
            });
            contentType = switch (target.encoding()) {
                case FORM -> "application/x-www-form-urlencoded";
                case JSON -> "application/json";
                case QUERY -> null;
            };
        }

        String pathText() {
            return new String(path, StandardCharsets.ISO_8859_1);
        }

        void header(String name, String value) {
            header(name, value.getBytes(StandardCharsets.UTF_8));
        }

        void header(String name, byte[] value) {
            headers.add(Map.entry(name, value));
        }

        void dropCredentialHeaders() {
            headers.removeIf(header -> header.getKey().equalsIgnoreCase("Authorization"));
        }

        void dropCookies() {
            headers.removeIf(header -> header.getKey().equalsIgnoreCase("Cookie"));
        }

        void rawBody(byte[] body) {
            rawBody = body;
            if (target.encoding() == Encoding.QUERY) {
                method = method.equals("GET") ? "POST" : method;
                contentType = contentType == null ? "application/x-www-form-urlencoded" : contentType;
            }
        }

        void rawQuery(byte[] query) {
            rawQuery = query;
        }

        void repeatField(String name) {
            repeatedField = name;
        }

        void percentGarbage(String garbage) {
            String encoded = encodeFields();
            String broken = (encoded.isEmpty() ? "" : encoded + "&") + "fuzz=" + garbage
                    + (fields.isEmpty() ? "" : "&" + fields.keySet().iterator().next() + "=" + garbage);
            if (target.encoding() == Encoding.QUERY) {
                rawQuery = broken.getBytes(StandardCharsets.ISO_8859_1);
            }
            else {
                rawBody = broken.getBytes(StandardCharsets.ISO_8859_1);
            }
        }

        void tooManyParameters(int count, boolean inBody) {
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < count; i++) {
                many.append(i == 0 ? "" : "&").append('p').append(i).append("=1");
            }
            byte[] bytes = many.toString().getBytes(StandardCharsets.ISO_8859_1);
            if (inBody && target.encoding() != Encoding.JSON) {
                rawBody(concat(bytes, ("&" + encodeFields()).getBytes(StandardCharsets.ISO_8859_1)));
            }
            else {
                extraQuery = bytes;
            }
        }

        void oversize(int size, boolean useChunks) {
            chunked = useChunks;
            if (target.encoding() == Encoding.JSON) {
                rawBody(("{\"email\":\"" + "a".repeat(size) + "@example.com\"}").getBytes(StandardCharsets.UTF_8));
            }
            else {
                rawBody((encodeFields() + "&fuzz=" + "a".repeat(size)).getBytes(StandardCharsets.ISO_8859_1));
            }
        }

        void replay(Random r) {
            switch (r.nextInt(4)) {
                case 0 -> fields.put(fields.isEmpty() ? "code" : pickKey(fields, r), replays.usedCode());
                case 1 -> fields.put(fields.isEmpty() ? "refresh_token" : pickKey(fields, r), replays.rotatedRefreshToken());
                case 2 -> {
                    fields.put("_csrf", replays.staleCsrf());
                    header("X-CSRF-TOKEN", replays.staleCsrf());
                }
                default -> {
                    dropCookies();
                    header("Cookie", replays.otherSessionCookie());
                }
            }
        }

        String encodeFields() {
            StringBuilder form = new StringBuilder();
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                String value = field.getValue() instanceof RawJson raw ? raw.json() : String.valueOf(field.getValue());
                int times = field.getKey().equals(repeatedField) ? 2 : 1;
                for (int i = 0; i < times; i++) {
                    form.append(form.isEmpty() ? "" : "&").append(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8))
                            .append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                }
            }
            return form.toString();
        }

        String json() {
            StringBuilder json = new StringBuilder("{");
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                int times = field.getKey().equals(repeatedField) || duplicateJsonKeys ? 2 : 1;
                for (int i = 0; i < times; i++) {
                    json.append(json.length() == 1 ? "" : ",").append(jsonString(field.getKey())).append(':');
                    Object value = field.getValue();
                    json.append(value instanceof RawJson raw ? raw.json()
                            : value instanceof Number number ? number.toString() : jsonString(String.valueOf(value)));
                }
            }
            return json.append('}').toString();
        }

        byte[] bytes() {
            byte[] query = rawQuery;
            byte[] body = rawBody;
            if (body == null && target.encoding() == Encoding.FORM) {
                body = encodeFields().getBytes(StandardCharsets.ISO_8859_1);
            }
            else if (body == null && target.encoding() == Encoding.JSON) {
                body = json().getBytes(StandardCharsets.UTF_8);
            }
            if (query == null && target.encoding() == Encoding.QUERY && !fields.isEmpty()) {
                query = encodeFields().getBytes(StandardCharsets.ISO_8859_1);
            }
            if (extraQuery != null) {
                query = query == null ? extraQuery : concat(query, new byte[] { '&' }, extraQuery);
            }
            byte[] targetBytes = query == null ? path : concat(path, new byte[] { '?' }, query);
            RawHttp.Request request = new RawHttp.Request(method, targetBytes);
            headers.forEach(header -> request.header(header.getKey(), header.getValue()));
            if (contentType != null && body != null) {
                request.header("Content-Type", contentType);
            }
            if (contentLength != null) {
                if (!contentLength.isEmpty()) {
                    request.header("Content-Length", contentLength);
                }
                return request.body(null);
            }
            if (body == null) {
                return request.noBody();
            }
            return chunked ? request.chunked(body, chunkSize) : request.body(body);
        }
    }

    private static byte[] deepJson(Random random) {
        int depth = 600 + random.nextInt(20_000);
        boolean arrays = random.nextBoolean();
        StringBuilder json = new StringBuilder(arrays ? "{\"email\":" : "");
        for (int i = 0; i < depth; i++) {
            json.append(arrays ? "[" : "{\"a\":");
        }
        json.append("1");
        for (int i = 0; i < depth; i++) {
            json.append(arrays ? "]" : "}");
        }
        return json.append(arrays ? "}" : "").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String randomUnicode(Random random) {
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(80);
        for (int i = 0; i < length; i++) {
            int codePoint = switch (random.nextInt(5)) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x80 + random.nextInt(0x780);
                case 2 -> 0x2000 + random.nextInt(0x70);
                case 3 -> 0x1F300 + random.nextInt(0x300);
                default -> 0x20 + random.nextInt(0x5f);
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    private static String encodeOneLetter(String path, Random random) {
        List<Integer> letters = new ArrayList<>();
        for (int i = 1; i < path.length(); i++) {
            if (Character.isLetter(path.charAt(i))) {
                letters.add(i);
            }
        }
        if (letters.isEmpty()) {
            return path + "%2e";
        }
        int at = letters.get(random.nextInt(letters.size()));
        return path.substring(0, at) + String.format("%%%02X", (int) path.charAt(at)) + path.substring(at + 1);
    }

    static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            }
            else if (c < 0x20 || Character.isSurrogate((char) c)) {
                out.append(String.format("\\u%04x", c));
            }
            else {
                out.append((char) c);
            }
        });
        return out.append('"').toString();
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static <T> T pick(List<T> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }

    private static String pickKey(Map<String, Object> fields, Random random) {
        if (fields.isEmpty()) {
            return "fuzz";
        }
        List<String> keys = new ArrayList<>(fields.keySet());
        return keys.get(random.nextInt(keys.size()));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
