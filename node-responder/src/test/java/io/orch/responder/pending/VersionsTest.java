package io.orch.responder.pending;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kernel and package versions compared the way package managers do: numbers as numbers, letters as text. */
class VersionsTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            6.1.0-10-amd64                | 6.1.0-9-amd64                 |  1
            6.1.0-9-amd64                 | 6.1.0-10-amd64                | -1
            6.1.0-10-amd64                | 6.1.0-10-amd64                |  0
            5.14.0-427.13.1.el9_4.x86_64  | 5.14.0-503.11.1.el9_5.x86_64  | -1
            5.14.0-503.11.1.el9_5.x86_64  | 5.14.0-427.13.1.el9_4.x86_64  |  1
            5.14.0-427.13.1.el9_4.x86_64  | 5.14.0-427.13.1.el9_4.x86_64  |  0
            5.14.0-427.13.1.el9_4.x86_64  | 5.14.0-427.2.1.el9_4.x86_64   |  1
            6.8.0-45-generic              | 6.8.0-31-generic              |  1
            6.8.0-45-generic              | 6.11.0-8-generic              | -1
            5.15.0-1061-azure             | 5.15.0-107-azure              |  1
            4.12.14-122.37-default        | 5.3.18-150300.59.87-default   | -1
            10                            | 9                             |  1
            1.0                           | 1.0.1                         | -1
            1.0a                          | 1.0                           |  1
            1.0.1                         | 1.0.alpha                     |  1
            1.01                          | 1.1                           |  0
            1.0010                        | 1.9                           |  1
            1.0                           | 1_0                           |  0
            1..0                          | 1.0                           |  0
            abc                           | abd                           | -1
            99999999999999999999999999.1  | 99999999999999999999999998.9  |  1
            000                           | 0                             |  0
            ''                            | ''                            |  0
            ''                            | 1                             | -1
            """)
    void versionsCompareSegmentBySegment(String a, String b, int expected) {
        assertEquals(expected, Versions.compare(a, b));
        assertEquals(-expected, Versions.compare(b, a), "the reverse comparison has the opposite sign");
    }
}
