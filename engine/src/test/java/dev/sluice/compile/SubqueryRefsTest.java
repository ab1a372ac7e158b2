package dev.sluice.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The alias dbt gives a ref() rendered as a subquery (--empty, microbatch), unless the model names it itself. */
class SubqueryRefsTest {

    @Test
    void marksBecomeDbtsAliasUnlessTheModelGivesOne() {
        String bare = "select * from (select * from main.orders where false limit 0) /*engine:empty:orders*/ where id > 1";
        assertEquals("select * from (select * from main.orders where false limit 0) _dbt_limit_subq_orders where id > 1",
                SubqueryRefs.EMPTY.finish(bare));
        String aliased = "select o.id from (select * from main.orders where false limit 0) /*engine:empty:orders*/ o";
        assertEquals("select o.id from (select * from main.orders where false limit 0) o", SubqueryRefs.EMPTY.finish(aliased));
        String withAs = "select o.id from (select * from main.orders where et >= 1) /*engine:et:orders*/ as o";
        assertEquals("select o.id from (select * from main.orders where et >= 1) as o", SubqueryRefs.EVENT_TIME.finish(withAs));
        String atEnd = "select * from (select * from main.orders where et >= 1) /*engine:et:orders*/";
        assertEquals("select * from (select * from main.orders where et >= 1) _dbt_et_filter_subq_orders",
                SubqueryRefs.EVENT_TIME.finish(atEnd));
        // Each kind replaces only its own marks.
        assertEquals(bare, SubqueryRefs.EVENT_TIME.finish(bare));
    }
}
