package io.bellwether.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;

/**
 * A consumer that knows only the Confluent protocol and nothing of Bellwether: magic byte, 4-byte schema id,
 * {@code GET /schemas/ids/{id}}, generic Avro decoding. What any third-party consumer of the topics would do.
 */
final class ConfluentProtocolReader {
    private final String registryUrl;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    ConfluentProtocolReader(String registryUrl) {
        this.registryUrl = registryUrl;
    }

    GenericRecord decode(byte[] value) throws Exception {
        if (value[0] != 0) {
            throw new IllegalArgumentException("not the Confluent wire format");
        }
        int id = ByteBuffer.wrap(value, 1, 4).getInt();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /schemas/ids/" + id + " answered " + response.statusCode());
        }
        Schema schema = new Schema.Parser().parse(json.readTree(response.body()).get("schema").asText());
        return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
    }
}
