package ai.thinkheads.phoenix.certs.activities.testing;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records every payload on its way to the Temporal server (workflow and activity inputs and results, signals,
 * continue-as-new inputs, failures' details): exactly what history stores, from every run.
 */
public final class RecordingCodec implements PayloadCodec {

  private final List<String> payloads = Collections.synchronizedList(new ArrayList<>());

  public DataConverter dataConverter() {
    return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(this), true);
  }

  @Override
  public List<Payload> encode(List<Payload> list) {
    for (Payload payload : list) {
      payloads.add(payload.getData().toStringUtf8());
    }
    return list;
  }

  @Override
  public List<Payload> decode(List<Payload> list) {
    return list;
  }

  public List<String> payloads() {
    synchronized (payloads) {
      return List.copyOf(payloads);
    }
  }
}
