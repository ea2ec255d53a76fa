package com.kfood.ops.care;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** restore-partition's request: only a configured table, names PostgreSQL can take, attach a flag. */
class PartitionRestoreTest {
    private static final List<PartitionSpec> TABLES = PartitionSpec.parse("user_interactions:monthly:3:retain=12");

    @Test
    void aRequestNamesItsTableByNameOrQualifiedAndDefaultsIntoToThePartition() {
        var r = PartitionRestore.parse(
                Json.parseEmbedded("{\"action\": \"restore-partition\", \"table\": \"public.user_interactions\","
                        + " \"partition\": \"user_interactions_2025_10\"}"),
                TABLES);
        assertThat(r.into()).isEqualTo("user_interactions_2025_10");
        assertThat(r.attach()).isFalse();
        assertThat(r.spec().table()).isEqualTo("user_interactions");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"action\": \"restore-partition\", \"table\": \"users\", \"partition\": \"x\"}",
                "{\"action\": \"restore-partition\", \"table\": \"user_interactions\"}",
                "{\"action\": \"restore-partition\", \"table\": \"user_interactions\", \"partition\": \"\"}",
                "{\"action\": \"restore-partition\", \"table\": \"user_interactions\", \"partition\": \"a\\nb\"}",
                "{\"action\": \"restore-partition\", \"table\": \"user_interactions\", \"partition\": \"x\", \"attach\": \"yes\"}",
                "{\"action\": \"restore-partition\", \"table\": \"user_interactions\", \"partition\": \"x\", \"into\": \""
                        + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}"
            })
    void anythingElseIsRefusedBeforeTheDatabaseIsTouched(String event) {
        assertThatThrownBy(() -> PartitionRestore.parse(Json.parseEmbedded(event), TABLES))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("restore-partition: ");
    }
}
