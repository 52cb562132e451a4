-- Contact tags (res.partner.category) the Actionstep roles need, one per tag name.
select
    category_xmlid,
    min(tag_name) as name,
    count(distinct partner_xmlid) as partners
from {{ ref('int_actionstep__partner_tags') }}
group by category_xmlid
