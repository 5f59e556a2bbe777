package dev.gpudev.bot.runtime;

/** Who schedules: with several replicas only the leader may; a single replica always leads. */
public interface Leadership extends AutoCloseable {
    /** Starts competing; {@code onLead} runs when this replica becomes the leader, {@code onLose} when it stops being it. */
    void start(Runnable onLead, Runnable onLose);

    boolean leading();

    @Override
    void close();

    Leadership ALWAYS = new Leadership() {
        @Override
        public void start(Runnable onLead, Runnable onLose) {
            onLead.run();
        }

        @Override
        public boolean leading() {
            return true;
        }

        @Override
        public void close() {
        }
    };
}
