package io.latchkey.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection: the bytes given are the bytes sent, so a test
 * can put what no HTTP client library would send on the wire (invalid UTF-8, bad percent-encoding, broken
 * chunking, headers that clients refuse to set). The answer is read until the server closes the connection.
 */
public final class RawHttp {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 30_000;

    private RawHttp() {
    }

    /** Sends the bytes to the test server and reads its answer; status 0 when it closed without one. */
    public static Answer exchange(byte[] request) {
        return exchange("127.0.0.1", TestServerInitializer.PORT, request);
    }

    public static Answer exchange(String host, int port, byte[] request) {
        return exchangeFrom(null, host, port, request);
    }

    /**
     * Sends the bytes from the given local address (any of 127.0.0.0/8 reaches a server on 127.0.0.1), so that a test
     * can be a peer the server trusts as a proxy, or one it does not; null for the system's choice.
     */
    public static Answer exchangeFrom(String localAddress, String host, int port, byte[] request) {
        try (Socket socket = new Socket()) {
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            }
            catch (IOException refusedMidway) {
                // the server may answer (413, 400) and close before reading everything: read what it said
            }
            return Answer.parse(readAll(socket.getInputStream()));
        }
        catch (SocketTimeoutException ex) {
            throw new IllegalStateException("No answer within " + READ_TIMEOUT_MS + " ms", ex);
        }
        catch (IOException ex) {
            return Answer.NONE;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                bytes.write(buffer, 0, read);
            }
        }
        catch (SocketTimeoutException ex) {
            throw ex;
        }
        catch (IOException reset) {
            // a reset after the answer was sent: keep what arrived
        }
        return bytes.toByteArray();
    }

    /** A request built byte by byte. */
    public static final class Request {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        public Request(String method, byte[] target) {
            write(method.getBytes(StandardCharsets.ISO_8859_1));
            write(new byte[] { ' ' });
            write(target);
            write((" HTTP/1.1\r\nHost: 127.0.0.1:" + TestServerInitializer.PORT + "\r\nConnection: close\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        }

        public Request(String method, String target) {
            this(method, target.getBytes(StandardCharsets.UTF_8));
        }

        public Request header(String name, String value) {
            return header(name, value.getBytes(StandardCharsets.UTF_8));
        }

        public Request header(String name, byte[] value) {
            write(name.getBytes(StandardCharsets.ISO_8859_1));
            write(": ".getBytes(StandardCharsets.ISO_8859_1));
            write(value);
            write(new byte[] { '\r', '\n' });
            return this;
        }

        /** Ends the headers; a body gets its Content-Length. */
        public byte[] body(byte[] body) {
            if (body != null) {
                header("Content-Length", Integer.toString(body.length));
            }
            write(new byte[] { '\r', '\n' });
            if (body != null) {
                write(body);
            }
            return bytes.toByteArray();
        }

        public byte[] noBody() {
            return body(null);
        }

        /** Ends the headers and sends the body with {@code Transfer-Encoding: chunked}, in chunks of the given size. */
        public byte[] chunked(byte[] body, int chunkSize) {
            header("Transfer-Encoding", "chunked");
            write(new byte[] { '\r', '\n' });
            for (int offset = 0; offset < body.length; offset += chunkSize) {
                int length = Math.min(chunkSize, body.length - offset);
                write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                bytes.write(body, offset, length);
                write(new byte[] { '\r', '\n' });
            }
            write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return bytes.toByteArray();
        }

        private void write(byte[] part) {
            bytes.writeBytes(part);
        }
    }

    /** The server's answer: status, headers (names in lower case) and the body, de-chunked. */
    public record Answer(int status, Map<String, List<String>> headers, String body) {

        static final Answer NONE = new Answer(0, Map.of(), "");

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }

        public String location() {
            return header("location");
        }

        public String contentType() {
            String type = header("content-type");
            return type == null ? "" : type.toLowerCase(Locale.ROOT);
        }

        static Answer parse(byte[] raw) {
            String head = new String(raw, StandardCharsets.ISO_8859_1);
            int end = head.indexOf("\r\n\r\n");
            if (!head.startsWith("HTTP/1.1 ") || end < 0 || head.length() < 12) {
                return NONE;
            }
            String[] lines = head.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].substring(9, 12));
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            name -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
                }
            }
            byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
            List<String> encoding = headers.get("transfer-encoding");
            if (encoding != null && encoding.contains("chunked")) {
                body = dechunk(body);
            }
            return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
        }

        private static byte[] dechunk(byte[] chunked) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            String text = new String(chunked, StandardCharsets.ISO_8859_1);
            int at = 0;
            while (at < chunked.length) {
                int lineEnd = text.indexOf("\r\n", at);
                if (lineEnd < 0) {
                    break;
                }
                int size;
                try {
                    size = Integer.parseInt(text.substring(at, lineEnd).split(";")[0].trim(), 16);
                }
                catch (NumberFormatException notChunked) {
                    return chunked;
                }
                if (size == 0 || lineEnd + 2 + size > chunked.length) {
                    break;
                }
                body.write(chunked, lineEnd + 2, size);
                at = lineEnd + 2 + size + 2;
            }
            return body.toByteArray();
        }
    }
}
