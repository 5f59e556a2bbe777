package dev.gpudev.scheduler.engine;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * An immutable map whose updates cost O(size / 64 + 64) instead of a full copy: keys are hashed into 64 buckets,
 * each an immutable array of entries sorted by hash, then key, and an update copies one bucket and the array of
 * buckets; the rest is shared with the map it came from. Iteration goes by bucket, then in that order, so it depends
 * on the contents only, never on the order of the updates. The mutators of {@link Map} throw.
 */
final class ShardedMap<K, V> extends AbstractMap<K, V> {
    private static final int BUCKETS = 64;
    private static final Bucket<Object, Object> NONE = new Bucket<>(emptyEntries());

    private final Comparator<? super K> order;
    private final Bucket<K, V>[] buckets;
    private final int size;

    /** One bucket's entries, and the last {@link #fold} of them, which every map sharing the bucket reuses. */
    private static final class Bucket<K, V> {
        final Entry<K, V>[] entries;
        volatile @Nullable Folded folded;

        Bucket(Entry<K, V>[] entries) {
            this.entries = entries;
        }
    }

    private record Folded(Object key, @Nullable Object value) {
    }

    private ShardedMap(Comparator<? super K> order, Bucket<K, V>[] buckets, int size) {
        this.order = order;
        this.buckets = buckets;
        this.size = size;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Entry<Object, Object>[] emptyEntries() {
        return new Entry[0];
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <K, V> ShardedMap<K, V> empty(Comparator<? super K> order) {
        Bucket<K, V>[] buckets = new Bucket[BUCKETS];
        Arrays.fill(buckets, (Bucket<K, V>) (Bucket<?, ?>) NONE);
        return new ShardedMap<>(order, buckets, 0);
    }

    /** Builds the map in one pass: O(n log n), not n updates. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <K, V> ShardedMap<K, V> copyOf(Map<K, V> map, Comparator<? super K> order) {
        List<List<Entry<K, V>>> lists = new ArrayList<>(BUCKETS);
        for (int i = 0; i < BUCKETS; i++) {
            lists.add(new ArrayList<>());
        }
        map.forEach((k, v) -> lists.get(bucket(k.hashCode())).add(Map.entry(k, v)));
        Bucket<K, V>[] buckets = new Bucket[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            Entry<K, V>[] entries = lists.get(i).toArray(new Entry[0]);
            Arrays.sort(entries, (a, b) -> compare(order, a.getKey(), a.getKey().hashCode(), b.getKey()));
            buckets[i] = new Bucket<>(entries);
        }
        return new ShardedMap<>(order, buckets, map.size());
    }

    private static int bucket(int h) {
        return (h ^ (h >>> 16) ^ (h >>> 8)) & (BUCKETS - 1);
    }

    /** By hash first (cheap), by key among equal hashes. */
    private static <K> int compare(Comparator<? super K> order, K a, int hashOfA, K b) {
        int c = Integer.compare(hashOfA, b.hashCode());
        return c != 0 ? c : order.compare(a, b);
    }

    /** The index of {@code key} in its bucket, or {@code -(insertion point) - 1}. */
    private int indexOf(Entry<K, V>[] bucket, K key, int hash) {
        int lo = 0;
        int hi = bucket.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = -compare(order, key, hash, bucket[mid].getKey());
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public @Nullable V get(Object key) {
        int h = key.hashCode();
        Entry<K, V>[] bucket = buckets[bucket(h)].entries;
        int i = indexOf(bucket, (K) key, h);
        return i >= 0 ? bucket[i].getValue() : null;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public boolean containsKey(Object key) {
        int h = key.hashCode();
        return indexOf(buckets[bucket(h)].entries, (K) key, h) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    /** This map with {@code key} mapped to {@code value}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    ShardedMap<K, V> with(K key, V value) {
        int h = key.hashCode();
        int b = bucket(h);
        Entry<K, V>[] bucket = buckets[b].entries;
        int i = indexOf(bucket, key, h);
        Entry<K, V>[] changed;
        if (i >= 0) {
            if (bucket[i].getValue() == value) {
                return this;
            }
            changed = bucket.clone();
            changed[i] = Map.entry(key, value);
        } else {
            int at = -i - 1;
            changed = new Entry[bucket.length + 1];
            System.arraycopy(bucket, 0, changed, 0, at);
            changed[at] = Map.entry(key, value);
            System.arraycopy(bucket, at, changed, at + 1, bucket.length - at);
        }
        Bucket<K, V>[] next = buckets.clone();
        next[b] = new Bucket<>(changed);
        return new ShardedMap<>(order, next, i >= 0 ? size : size + 1);
    }

    /** This map without {@code key}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    ShardedMap<K, V> without(K key) {
        int h = key.hashCode();
        int b = bucket(h);
        Entry<K, V>[] bucket = buckets[b].entries;
        int i = indexOf(bucket, key, h);
        if (i < 0) {
            return this;
        }
        Entry<K, V>[] changed = new Entry[bucket.length - 1];
        System.arraycopy(bucket, 0, changed, 0, i);
        System.arraycopy(bucket, i + 1, changed, i, bucket.length - i - 1);
        Bucket<K, V>[] next = buckets.clone();
        next[b] = new Bucket<>(changed);
        return new ShardedMap<>(order, next, size - 1);
    }

    /**
     * Folds the values bucket by bucket with {@code bucketFold} and combines the non-null results. A bucket keeps its
     * last result under {@code key}, and maps derived by updates share unchanged buckets, so after an update only the
     * changed buckets are folded again. The same key must always come with the same (pure) fold.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    <R> @Nullable R fold(Object key, Function<List<V>, @Nullable R> bucketFold, BinaryOperator<R> combine) {
        @Nullable R result = null;
        for (Bucket<K, V> bucket : buckets) {
            Folded f = bucket.folded;
            if (f == null || f.key() != key) {
                f = new Folded(key, bucketFold.apply(Arrays.stream(bucket.entries).map(Entry::getValue).toList()));
                bucket.folded = f;
            }
            R r = (R) f.value();
            if (r != null) {
                result = result == null ? r : combine.apply(result, r);
            }
        }
        return result;
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<K, V>> iterator() {
                return new Iterator<>() {
                    private int b;
                    private int i;

                    @Override
                    public boolean hasNext() {
                        while (b < BUCKETS && i >= buckets[b].entries.length) {
                            b++;
                            i = 0;
                        }
                        return b < BUCKETS;
                    }

                    @Override
                    public Entry<K, V> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        return buckets[b].entries[i++];
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
