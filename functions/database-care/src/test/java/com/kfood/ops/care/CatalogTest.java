package com.kfood.ops.care;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The partition DDL's identifiers are quoted as quote_ident quotes them, whatever a name holds. */
class CatalogTest {
    @Test
    void identifiersAreQuotedAndTheirQuotesDoubled() throws Exception {
        assertThat(Catalog.ident("user_interactions_2026_12")).isEqualTo("\"user_interactions_2026_12\"");
        assertThat(Catalog.ident("app_owner")).isEqualTo("\"app_owner\"");
        assertThat(Catalog.ident("we\"ird; DROP TABLE x")).isEqualTo("\"we\"\"ird; DROP TABLE x\"");
    }
}
