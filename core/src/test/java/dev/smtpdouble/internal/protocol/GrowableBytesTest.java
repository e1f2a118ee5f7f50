package dev.smtpdouble.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpdouble.internal.capture.MessageData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Messages detached one after another, small and large, each keep exactly what was written for
 * them, however the collector reuses its blocks for the next.
 */
class GrowableBytesTest {

  @Property(tries = 60)
  void everyDetachedMessageKeepsItsOwnBytes(
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 700_000) Integer> sizes,
      @ForAll long seed) {
    Random random = new Random(seed);
    GrowableBytes collector = new GrowableBytes();
    List<byte[]> written = new ArrayList<>();
    List<MessageData> detached = new ArrayList<>();
    for (int size : sizes) {
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      for (int off = 0; off < size; ) { // in uneven pieces, as reads arrive
        int n = Math.min(size - off, 1 + random.nextInt(100_000));
        collector.write(bytes, off, n);
        off += n;
      }
      written.add(bytes);
      detached.add(collector.detach());
      if (random.nextInt(4) == 0) {
        collector.write(new byte[] {1, 2, 3}, 0, 3); // a message given up (RSET)
        collector.reset();
      }
    }
    for (int i = 0; i < written.size(); i++) {
      assertThat(detached.get(i).copy()).as("message %d", i).isEqualTo(written.get(i));
    }
  }
}
