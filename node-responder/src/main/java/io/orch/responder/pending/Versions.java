package io.orch.responder.pending;

/**
 * Compares version strings the way package managers do (close to rpmvercmp): runs of digits
 * compare as numbers, runs of letters as text, separators only split. A digit run is newer
 * than a letter run, and with all else equal the longer version is newer.
 */
final class Versions {
    private Versions() {
    }

    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (true) {
            i = skipSeparators(a, i);
            j = skipSeparators(b, j);
            if (i >= a.length() || j >= b.length()) {
                return Boolean.compare(i < a.length(), j < b.length());
            }
            boolean digitA = Character.isDigit(a.charAt(i));
            boolean digitB = Character.isDigit(b.charAt(j));
            int endA = runEnd(a, i, digitA);
            int endB = runEnd(b, j, digitB);
            if (digitA != digitB) {
                return digitA ? 1 : -1;
            }
            String runA = a.substring(i, endA);
            String runB = b.substring(j, endB);
            int c = digitA ? compareNumbers(runA, runB) : runA.compareTo(runB);
            if (c != 0) {
                return Integer.signum(c);
            }
            i = endA;
            j = endB;
        }
    }

    private static int skipSeparators(String s, int i) {
        while (i < s.length() && !Character.isLetterOrDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int runEnd(String s, int i, boolean digits) {
        while (i < s.length() && Character.isLetterOrDigit(s.charAt(i)) && Character.isDigit(s.charAt(i)) == digits) {
            i++;
        }
        return i;
    }

    private static int compareNumbers(String a, String b) {
        String x = stripLeadingZeros(a);
        String y = stripLeadingZeros(b);
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }
}
