package io.trailguard.job.s3;

import java.io.Serializable;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which CloudTrail files to evaluate, decided from the key alone (before fetching): accounts and regions to keep
 * ({@code events.accounts}, {@code events.regions}; empty means all), digest files and non-CloudTrail objects never.
 */
public final class TrailFilter implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Why an object is not read. */
    public enum Decision {
        READ, DIGEST, NOT_CLOUDTRAIL, OTHER_ACCOUNT, OTHER_REGION
    }

    private final TreeSet<String> accounts;
    private final TreeSet<String> regions;

    public TrailFilter(Collection<String> accounts, Collection<String> regions) {
        this.accounts = new TreeSet<>(accounts);
        this.regions = new TreeSet<>(regions);
        for (String a : this.accounts) {
            if (!a.matches("\\d{12}")) {
                throw new IllegalArgumentException("'" + a + "' is not an AWS account id (12 digits)");
            }
        }
        for (String r : this.regions) {
            if (!r.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
                throw new IllegalArgumentException("'" + r + "' is not an AWS region name (e.g. us-east-1)");
            }
        }
    }

    public static TrailFilter all() {
        return new TrailFilter(Set.of(), Set.of());
    }

    public Decision decide(TrailKey key) {
        switch (key.kind()) {
            case DIGEST:
                return Decision.DIGEST;
            case OTHER:
                return Decision.NOT_CLOUDTRAIL;
            default:
                if (!accounts.isEmpty() && !accounts.contains(key.account())) {
                    return Decision.OTHER_ACCOUNT;
                }
                if (!regions.isEmpty() && !regions.contains(key.region())) {
                    return Decision.OTHER_REGION;
                }
                return Decision.READ;
        }
    }

    public Set<String> accounts() {
        return accounts;
    }

    public Set<String> regions() {
        return regions;
    }

    @Override
    public String toString() {
        return "accounts " + (accounts.isEmpty() ? "all" : accounts) + ", regions "
                + (regions.isEmpty() ? "all" : regions);
    }
}
