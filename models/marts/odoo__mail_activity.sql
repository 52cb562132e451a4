-- Open Actionstep tasks as planned activities (mail.activity) on their lead (mapping 11): type
-- from the seed activity_types by category (unknown categories take the default type and are
-- listed in int_actionstep__activity_categories), deadline, assignee (Odoo user by email, else
-- the fallback owner, flagged), summary and note. The lead is named by external id in
-- _res_xmlid: the loader resolves res_id (res_model_id is crm.lead's ir.model). Loaded in
-- passes (_load_pass): a record's first activity per owner, then its second...
with activities as (
    select * from {{ ref('int_actionstep__activities') }}
    where kind = 'activity' and review_reason is null
),

final as (
    select
        xmlid as id,
        'crm.model_crm_lead' as "res_model_id/id",
        'crm.lead' as res_model,
        activity_type_xmlid as "activity_type_id/id",
        summary,
        case when note_text is not null then {{ text_to_html('note_text') }} end as note,
        coalesce(deadline, cast(message_date as date)) as date_deadline,
        coalesce(person_user_id, {{ fallback_owner_id() }}) as "user_id/.id",
        lead_xmlid as _res_xmlid,
        person_user_id is null as _owner_is_fallback,
        {{ odoo_user_column('coalesce(person_user_id, ' ~ fallback_owner_id() ~ ')', 'login') }} as _user_login,
        not category_is_known as _category_is_default,
        'actionstep' as _source_system,
        source_model as _source_model,
        source_id as _source_id,
        -- Odoo 17 fails to create two activities on one record for an owner who does not
        -- follow it yet in one call ("a partner cannot follow twice the same object"), and
        -- load() then retries the batch a row at a time: each pass holds one per record and
        -- owner, and the loader never mixes passes in a batch
        row_number() over (
            partition by lead_xmlid, coalesce(person_user_id, {{ fallback_owner_id() }})
            order by xmlid
        ) - 1 as _load_pass
    from activities
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
