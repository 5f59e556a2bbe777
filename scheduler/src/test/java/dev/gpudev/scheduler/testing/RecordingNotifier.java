package dev.gpudev.scheduler.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.gpudev.scheduler.model.Notice;
import dev.gpudev.scheduler.port.Notifier;

/** Keeps every notice, in order. */
public final class RecordingNotifier implements Notifier {
    public final List<Notice> notices = new CopyOnWriteArrayList<>();

    @Override
    public void notify(Notice notice) {
        notices.add(notice);
    }

    public <T extends Notice> List<T> of(Class<T> type) {
        return notices.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
