package io.latchkey.mfa;

import java.util.Map;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/**
 * The enrolment QR code as an inline SVG: one path, one unit per module, with the four-module quiet zone. No
 * raster image, no AWT, and no style attribute (the content security policy allows none); the page around it
 * gives the accessible text alternative.
 */
final class EnrolmentQrCode {

    private static final int QUIET_ZONE = 4;

    private EnrolmentQrCode() {
    }

    static String svg(String contents) {
        BitMatrix matrix;
        try {
            matrix = new QRCodeWriter().encode(contents, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.MARGIN, QUIET_ZONE, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
                            EncodeHintType.CHARACTER_SET, "UTF-8"));
        }
        catch (WriterException ex) {
            throw new IllegalArgumentException("Cannot encode the enrolment QR code", ex);
        }
        int width = matrix.getWidth();
        int height = matrix.getHeight();
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (matrix.get(x, y)) {
                    path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr-code\" viewBox=\"0 0 " + width + " " + height
                + "\" width=\"" + width * 5 + "\" height=\"" + height * 5 + "\" shape-rendering=\"crispEdges\""
                + " aria-hidden=\"true\" focusable=\"false\"><rect width=\"" + width + "\" height=\"" + height
                + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
    }
}
