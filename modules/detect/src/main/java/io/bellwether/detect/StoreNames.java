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
    /**
     * The aggregate alignment's memory: what the ticket stage sent the aggregate stages, waiting for every ticket
     * partition's clock to pass it, and the clock each ticket partition has reached.
     */
    public static final String AGGREGATE_HELD = "aggregate-held";
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
