package io.pretext.djl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct memory for every array a step creates from Java values (batch inputs, constants,
 * scalars). PyTorch wraps this memory without copying, so it must stay valid until the step's
 * backward pass and update are done: the arena is owned by the program, handed out from the start
 * again only when the next step begins, and never left to the garbage collector while a step runs.
 * This designs out DJL's trap where a scalar or array made from Java memory is freed while autograd
 * still reads it. Reusing one block also avoids {@code allocateDirect} on every step.
 */
final class HostArena {
    /** PyTorch's CPU allocator aligns to 64 bytes; slices do too so kernels see the same alignment. */
    private static final int ALIGNMENT = 64;
    private static final int INITIAL_CAPACITY = 1 << 20;

    /**
     * Arenas of closed programs, kept for the next program. Java cannot free a direct buffer on
     * demand (only after a garbage collection), so an arena per program would hold ~1 MiB of native
     * memory per compiled program until the collector ran: measured 0.5-0.9 MiB per compile/close
     * cycle. Reusing them makes native memory follow the programs that are open, not those ever made.
     */
    private static final java.util.ArrayDeque<HostArena> IDLE = new java.util.ArrayDeque<>();
    private static final int MAX_IDLE = 8;

    private ByteBuffer block = allocate(INITIAL_CAPACITY);
    private int position;
    // Blocks outgrown during the current step: arrays of this step still point into them.
    private final List<ByteBuffer> outgrown = new ArrayList<>();

    private static ByteBuffer allocate(int capacity) {
        return ByteBuffer.allocateDirect(capacity + ALIGNMENT).alignedSlice(ALIGNMENT).order(ByteOrder.nativeOrder());
    }

    /** An arena for a new program: an idle one when there is one. */
    static HostArena borrow() {
        synchronized (IDLE) {
            HostArena a = IDLE.poll();
            return a != null ? a : new HostArena();
        }
    }

    /** Gives the arena of a closed program back; every array that pointed into it must be closed. */
    void giveBack() {
        reset();
        synchronized (IDLE) {
            if (IDLE.size() < MAX_IDLE) {
                IDLE.push(this);
            }
        }
    }

    /**
     * Starts a new step: every slice handed out before may be overwritten. Call only once the
     * arrays of the previous step are closed.
     */
    void reset() {
        outgrown.clear();
        position = 0;
    }

    /**
     * @param bytes size of the slice
     * @return a native-order slice of exactly {@code bytes}, valid until the next {@link #reset}
     */
    ByteBuffer take(int bytes) {
        int start = (position + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        if (start + bytes > block.capacity()) {
            outgrown.add(block);
            block = allocate(Math.max(2 * block.capacity(), bytes + ALIGNMENT));
            start = 0;
        }
        position = start + bytes;
        return block.slice(start, bytes).order(ByteOrder.nativeOrder());
    }
}
