package io.bellwether.detect;

/**
 * Every state store of the topology, named {@code <entity>-<purpose>}. Their changelog topics are
 * {@code <application.id>-<name>-changelog}; renaming one loses its state, so names are part of the upgrade contract.
 */
public final class StoreNames {
    public static final String TICKET_STATE = "ticket-state";
    public static final String ACCOUNT_STATE = "account-state";
    public static final String TEAM_STATE = "team-state";
    public static final String SURGE_STATE = "surge-state";
    /** Facts waiting for every upstream partition's clock to pass them (replays), per aggregate stage. */
    public static final String ACCOUNT_PENDING = "account-pending";
    public static final String TEAM_PENDING = "team-pending";
    public static final String SURGE_PENDING = "surge-pending";
    /** The clock ticks each upstream partition has reached, per aggregate stage. */
    public static final String ACCOUNT_CLOCK = "account-clock";
    public static final String TEAM_CLOCK = "team-clock";
    public static final String SURGE_CLOCK = "surge-clock";
    /** Global: silences from the control topic. */
    public static final String CONTROL_SILENCES = "control-silences";
    /** Acknowledgements by dedup key, from the acks topic (global: every task consults them). */
    public static final String SIGNAL_ACKS = "signal-acks";
    /** Global: account owners from the account-owners topic. */
    public static final String ACCOUNT_OWNERS = "account-owners";
    /** Global: active surges, for inhibition in the ticket stage. */
    public static final String SURGE_ACTIVE = "surge-active";
    /** The compacted AccountRisk table the query API reads. */
    public static final String ACCOUNT_RISK = "account-risk";

    private StoreNames() {
    }
}
