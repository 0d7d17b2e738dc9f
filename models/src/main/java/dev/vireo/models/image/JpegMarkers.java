package dev.vireo.models.image;

/**
 * What a JPEG's headers say about its colour: the Adobe APP14 transform flag (0 none, 1 YCbCr, 2 YCCK; -1 absent),
 * whether a JFIF APP0 is present, and each component's id and sampling factors from the SOF marker. Only markers
 * before the first scan are read. Used to convert javax.imageio's raw rasters the way libjpeg-turbo (and so PIL) would.
 */
record JpegMarkers(int adobeTransform, boolean jfif, int[] ids, int[] h, int[] v) {

    /** Parses the headers of a JPEG file; fields stay at their defaults when a marker is absent or malformed. */
    static JpegMarkers parse(byte[] jpeg) {
        int adobe = -1;
        boolean jfif = false;
        int[] ids = new int[0], h = new int[0], v = new int[0];
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            if ((jpeg[pos] & 0xFF) != 0xFF) break;
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                pos++;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) break;
            int length = ((jpeg[pos + 2] & 0xFF) << 8) | (jpeg[pos + 3] & 0xFF);
            if (length < 2 || pos + 2 + length > jpeg.length) break;
            int p = pos + 4;
            if (marker == 0xE0 && length >= 7 && jpeg[p] == 'J' && jpeg[p + 1] == 'F' && jpeg[p + 2] == 'I'
                    && jpeg[p + 3] == 'F' && jpeg[p + 4] == 0) {
                jfif = true;
            } else if (marker == 0xEE && length >= 14 && jpeg[p] == 'A' && jpeg[p + 1] == 'd' && jpeg[p + 2] == 'o'
                    && jpeg[p + 3] == 'b' && jpeg[p + 4] == 'e') {
                adobe = jpeg[p + 11] & 0xFF; // "Adobe", version (2), flags0 (2), flags1 (2), transform
            } else if (isStartOfFrame(marker) && length >= 8) {
                int n = jpeg[p + 5] & 0xFF; // precision (1), height (2), width (2), components (1)
                if (length >= 8 + 3 * n) {
                    ids = new int[n];
                    h = new int[n];
                    v = new int[n];
                    for (int c = 0; c < n; c++) {
                        ids[c] = jpeg[p + 6 + 3 * c] & 0xFF;
                        h[c] = (jpeg[p + 7 + 3 * c] & 0xFF) >> 4;
                        v[c] = jpeg[p + 7 + 3 * c] & 0x0F;
                    }
                }
            }
            pos += 2 + length;
        }
        return new JpegMarkers(adobe, jfif, ids, h, v);
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** libjpeg's guess for 3 components: RGB when Adobe says "no transform", or without JFIF/Adobe ids are 'R','G','B'. */
    boolean isRgb() {
        if (adobeTransform == 0) return true;
        if (jfif || adobeTransform > 0) return false;
        return ids.length == 3 && ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B';
    }

    /**
     * True when luma is sampled 1x2 and both chroma components 1x1 (4:4:0): the one layout where libjpeg-turbo's
     * upsampling (h1v2 "fancy", triangular) differs from the libjpeg 6b inside the JDK (row replication).
     */
    boolean isH1V2() {
        return ids.length == 3 && h[0] == 1 && v[0] == 2 && h[1] == 1 && v[1] == 1 && h[2] == 1 && v[2] == 1;
    }
}
