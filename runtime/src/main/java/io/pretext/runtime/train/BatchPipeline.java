package io.pretext.runtime.train;

import io.pretext.api.TaskModel;
import io.pretext.api.data.Example;
import io.pretext.api.error.PretextException;
import io.pretext.api.model.Batch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prepares batches on worker threads ahead of the backend: the task's {@code prepare}
 * (corruption, augmentation, masking) for batch {@code i + k} runs while the backend trains on
 * batch {@code i}.
 *
 * <p>Reproducible whatever the thread timing: each batch draws from its own random stream, derived
 * from (seed, epoch, batch index), and batches are handed out in order.
 */
public final class BatchPipeline implements AutoCloseable {

    private final TaskModel task;
    private final ExecutorService workers;
    private final int prefetch;

    /** A prepared batch with its position in the epoch. */
    public record Prepared(int epoch, int index, int rows, Batch batch) {
    }

    public BatchPipeline(TaskModel task, int workers, int prefetch) {
        this.task = task;
        this.prefetch = prefetch;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "pretext-loader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Number of batches one epoch over {@code rows} examples yields. */
    public static int batchesPerEpoch(long rows, int batchSize, boolean dropLast) {
        long full = rows / batchSize;
        long rest = rows % batchSize;
        // A last batch of one row is useless to any batch-contrastive loss; it is dropped always.
        return (int) (full + (!dropLast && rest >= 2 ? 1 : 0));
    }

    /** The batches of one epoch over in-memory examples, shuffled with the epoch's permutation. */
    public Iterator<Prepared> epoch(List<Example> examples, int epoch, long seed, int batchSize, boolean dropLast) {
        int n = examples.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom shuffle = new SplittableRandom(mix(seed, epoch, -1));
        for (int i = n - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int batches = batchesPerEpoch(n, batchSize, dropLast);
        return new Iterator<>() {
            private final Deque<Future<Prepared>> ahead = new ArrayDeque<>();
            private int submitted;
            private int handed;

            private void fill() {
                while (submitted < batches && ahead.size() < prefetch) {
                    int index = submitted++;
                    int from = index * batchSize;
                    int to = Math.min(n, from + batchSize);
                    ahead.add(workers.submit(() -> {
                        List<Example> rows = new ArrayList<>(to - from);
                        for (int i = from; i < to; i++) {
                            rows.add(examples.get(order[i]));
                        }
                        Batch batch = task.prepare(rows, new SplittableRandom(mix(seed, epoch, index)));
                        return new Prepared(epoch, index, rows.size(), batch);
                    }));
                }
            }

            @Override
            public boolean hasNext() {
                return handed < batches;
            }

            @Override
            public Prepared next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                fill();
                Future<Prepared> f = ahead.poll();
                handed++;
                fill();
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PretextException("interrupted while preparing batches", e);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new PretextException("preparing batch " + handed + " of epoch " + (epoch + 1) + " failed: " + cause, cause);
                }
            }
        };
    }

    /**
     * The batches of one epoch streamed from {@code source} (read again each epoch, never held whole):
     * examples pass through a shuffle buffer of {@code bufferSize} rows, so memory stays bounded
     * whatever the data size. The order depends only on the seed and the data.
     */
    public Iterator<Prepared> streamingEpoch(Iterable<Example> source, int epoch, long seed, int batchSize, boolean dropLast,
                                             int bufferSize) {
        Iterator<Example> rows = source.iterator();
        SplittableRandom shuffle = new SplittableRandom(mix(seed, epoch, -2));
        List<Example> buffer = new ArrayList<>(Math.min(bufferSize, 1 << 20));
        return new Iterator<>() {
            private final Deque<Future<Prepared>> ahead = new ArrayDeque<>();
            private int index;
            private boolean exhausted;

            /** The next batch's rows from the shuffle buffer, or null at the end of the epoch. */
            private List<Example> nextRows() {
                while (buffer.size() < bufferSize && rows.hasNext()) {
                    buffer.add(rows.next());
                }
                int take = Math.min(batchSize, buffer.size());
                if (take == 0 || take < 2 || (dropLast && take < batchSize)) {
                    return null;
                }
                List<Example> batch = new ArrayList<>(take);
                for (int i = 0; i < take; i++) {
                    int j = shuffle.nextInt(buffer.size());
                    batch.add(buffer.get(j));
                    buffer.set(j, buffer.get(buffer.size() - 1));
                    buffer.remove(buffer.size() - 1);
                    if (rows.hasNext()) {
                        buffer.add(rows.next());
                    }
                }
                return batch;
            }

            private void fill() {
                while (!exhausted && ahead.size() < prefetch) {
                    List<Example> batchRows = nextRows();
                    if (batchRows == null) {
                        exhausted = true;
                        return;
                    }
                    int i = index++;
                    ahead.add(workers.submit(() -> new Prepared(epoch, i, batchRows.size(),
                            task.prepare(batchRows, new SplittableRandom(mix(seed, epoch, i))))));
                }
            }

            @Override
            public boolean hasNext() {
                fill();
                return !ahead.isEmpty();
            }

            @Override
            public Prepared next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Future<Prepared> f = ahead.poll();
                fill();
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PretextException("interrupted while preparing batches", e);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new PretextException("preparing a batch of epoch " + (epoch + 1) + " failed: " + cause, cause);
                }
            }
        };
    }

    static long mix(long seed, int epoch, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + (index + 1L) * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
