package dev.vireo.engine.tornadovm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The device plans by key (op, shape, weight), least recently used first out: a plan holds device
 * memory and a compiled kernel, so the cache is bounded and an evicted plan frees what it held.
 * Not thread-safe: the provider calls it under its own lock.
 */
final class PlanCache {
    private final int capacity;
    private final LinkedHashMap<Object, DevicePlan> plans;

    PlanCache(int capacity) {
        this.capacity = capacity;
        this.plans = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, DevicePlan> eldest) {
                if (size() <= PlanCache.this.capacity) return false;
                eldest.getValue().close();
                return true;
            }
        };
    }

    DevicePlan get(Object key, Supplier<DevicePlan> build) {
        DevicePlan plan = plans.get(key);
        if (plan == null) {
            plan = build.get();
            plans.put(key, plan);
        }
        return plan;
    }

    /** Drops (and frees) every plan whose key mentions {@code o}. */
    void evictMentioning(Object o) {
        plans.entrySet().removeIf(e -> {
            boolean hit = e.getKey() instanceof Key k && k.mentions(o);
            if (hit) e.getValue().close();
            return hit;
        });
    }

    int size() {
        return plans.size();
    }

    void clear() {
        plans.values().forEach(DevicePlan::close);
        plans.clear();
    }

    /** A plan's key: the op's name, the resident objects by identity, and the sizes. */
    record Key(String op, Object[] resident, int[] sizes) {
        boolean mentions(Object o) {
            for (Object r : resident) if (r == o) return true;
            return false;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Key k) || !op.equals(k.op) || resident.length != k.resident.length) return false;
            for (int i = 0; i < resident.length; i++) if (resident[i] != k.resident[i]) return false;
            return java.util.Arrays.equals(sizes, k.sizes);
        }

        @Override
        public int hashCode() {
            int h = op.hashCode() * 31 + java.util.Arrays.hashCode(sizes);
            for (Object r : resident) h = h * 31 + System.identityHashCode(r);
            return h;
        }
    }
}
