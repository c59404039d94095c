package io.orch.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

/** Durations as typed on the command line. */
class DurationConverterTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "500ms|PT0.5S",
        "10s|PT10S",
        "2m|PT2M",
        "1h|PT1H",
        "30|PT30S",
        "0|PT0S",
        "' 5s '|PT5S",
        "168h|PT168H",
    })
    void readsMillisecondsSecondsMinutesHoursAndBareSeconds(String text, String expected) {
        assertEquals(Duration.parse(expected), DurationConverter.parse(text));
    }

    @Test
    void aRetentionGoesBeyondAWeekUpToTenYears() {
        assertEquals(Duration.ofDays(30), new DurationConverter.Retention().convert("30d"));
        assertThrows(TypeConversionException.class, () -> new DurationConverter.Retention().convert("3651d"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-5s|is negative",
        "169h|more than 7 days",
        "2d|is not a duration",
        "''|is not a duration",
        "1.5s|is not a duration",
        "soon|is not a duration",
        "5 s|is not a duration",
        "9999999999999999h|is not a duration",
        "99999999999999999999|is not a duration",
    })
    void rejectsWhatIsNotADurationUpToAWeek(String text, String why) {
        TypeConversionException e = assertThrows(TypeConversionException.class,
                () -> new DurationConverter().convert(text));

        assertTrue(e.getMessage().contains("'" + text + "'"), e::getMessage);
        assertTrue(e.getMessage().contains(why), e::getMessage);
    }
}
