package com.kfood.ops.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Jackson databind's mapper, for the local tools and the tests. The functions never load it (its
 * class initialisation alone cost 45 ms of a cold start), so it lives here, outside their jars.
 */
public final class Mapper {
    private static final ObjectMapper INSTANCE = JsonMapper.builder()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Mapper() {}

    public static ObjectMapper get() {
        return INSTANCE;
    }
}
