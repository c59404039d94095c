package io.orch.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** {@code --batch}, {@code --limit} and {@code --max-failures} values: N or N%. */
class AmountTest {

    @Test
    void aPlainNumberIsACountWhateverTheTotal() {
        Amount amount = Amount.parse("10");

        assertEquals(10, amount.value());
        assertFalse(amount.percent());
        assertEquals(10, amount.of(5));
        assertEquals(10, amount.of(1000));
    }

    @Test
    void aNumberWithPercentIsAShare() {
        Amount amount = Amount.parse("25%");

        assertEquals(25, amount.value());
        assertTrue(amount.percent());
        assertEquals(25, amount.of(100));
    }

    @ParameterizedTest(name = "{0} of {1} is {2}")
    @CsvSource({
        "10%, 5, 1",
        "33%, 30, 10",
        "100%, 7, 7",
        "1%, 1, 1",
        "50%, 3, 2",
        "34%, 10, 4",
        "10%, 10, 1",
        "10%, 11, 2",
        "1%, 1000, 10",
    })
    void aShareRoundsUp(String text, int total, int expected) {
        assertEquals(expected, Amount.parse(text).of(total));
    }

    @Test
    void aShareIsNeverZeroEvenOfNoNodes() {
        assertEquals(1, Amount.parse("10%").of(0));
    }

    @Test
    void aShareOfAHugeFleetDoesNotOverflow() {
        assertEquals(Integer.MAX_VALUE, Amount.parse("100%").of(Integer.MAX_VALUE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "10%", "1", "100%"})
    void printsAsTyped(String text) {
        assertEquals(text, Amount.parse(text).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "' 10 '|10|false",
        "'10 %'|10|true",
        "'007'|7|false",
    })
    void spacesAroundTheNumberAndBeforeThePercentSignAreAccepted(String text, int value, boolean percent) {
        Amount amount = Amount.parse(text);

        assertEquals(value, amount.value());
        assertEquals(percent, amount.percent());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|must be at least 1",
        "0%|must be at least 1",
        "101%|more than 100%",
        "-1|is not a count",
        "''|is not a count",
        "1.5|is not a count",
        "1.5%|is not a count",
        "%|is not a count",
        "abc|is not a count",
        "10%%|is not a count",
        "+5|is not a count",
        "1e3|is not a count",
        "1234567890|is not a count",
    })
    void rejectsWhatIsNotAPositiveCountOrAShareUpToAHundred(String text, String why) {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> Amount.parse(text));

        assertTrue(e.getMessage().contains("'" + text + "'"), e::getMessage);
        assertTrue(e.getMessage().contains(why), e::getMessage);
    }

    @Test
    void theConverterIsTheParser() {
        assertEquals(new Amount(5, true), new Amount.Converter().convert("5%"));
        assertThrows(TypeConversionException.class, () -> new Amount.Converter().convert("0"));
    }

    @Test
    void theRecordItselfRefusesImpossibleAmounts() {
        assertThrows(IllegalArgumentException.class, () -> new Amount(0, false));
        assertThrows(IllegalArgumentException.class, () -> new Amount(0, true));
        assertThrows(IllegalArgumentException.class, () -> new Amount(101, true));
        assertEquals(101, new Amount(101, false).value());
    }
}
