namespace LeadToCash.Modules.Options;

/// <summary>The lists a new installation starts with; an Admin edits them afterwards.</summary>
public static class DefaultOptions
{
    public static IEnumerable<OptionItem> All =>
        List(OptionLists.SourceChannels,
            ("trade-show", "展会", "Trade show"),
            ("website-form", "官网表单", "Website form"),
            ("referral", "客户转介绍", "Customer referral"),
            ("partner", "行业合作", "Industry partner"),
            ("cold-call", "电话开发", "Cold call"),
            ("advertising", "广告", "Advertising"),
            ("other", "其他", "Other"))
        .Concat(List(OptionLists.Industries,
            ("manufacturing", "制造业", "Manufacturing"),
            ("software", "软件与信息服务", "Software & IT services"),
            ("retail", "零售", "Retail"),
            ("medical", "医疗健康", "Healthcare"),
            ("education", "教育", "Education"),
            ("finance", "金融", "Finance"),
            ("logistics", "物流", "Logistics"),
            ("energy", "能源", "Energy"),
            ("construction", "建筑工程", "Construction"),
            ("other", "其他", "Other")))
        .Concat(List(OptionLists.CompanySizes,
            ("1-49", "50人以下", "Under 50"),
            ("50-199", "50-199人", "50-199"),
            ("200-999", "200-999人", "200-999"),
            ("1000+", "1000人以上", "1000 or more")))
        .Concat(List(OptionLists.LostReasons,
            ("price", "价格", "Price"),
            ("competitor", "选择了竞争对手", "Chose a competitor"),
            ("no-budget", "没有预算", "No budget"),
            ("no-decision", "没有决策", "No decision"),
            ("product-fit", "产品不匹配", "Product fit"),
            ("timing", "时机不对", "Timing")))
        .Concat(List(OptionLists.PaymentMethods,
            ("bank-transfer", "银行转账", "Bank transfer"),
            ("acceptance-bill", "承兑汇票", "Bank acceptance bill"),
            ("cheque", "支票", "Cheque"),
            ("cash", "现金", "Cash"),
            ("online", "线上支付", "Online payment"),
            ("other", "其他", "Other")))
        .Concat(List(OptionLists.InvoiceKinds,
            ("vat-special", "增值税专用发票", "VAT special invoice"),
            ("vat-general", "增值税普通发票", "VAT general invoice"),
            ("e-invoice", "电子发票", "Electronic invoice"),
            ("receipt", "收据", "Receipt")));

    private static IEnumerable<OptionItem> List(string listKey, params (string Code, string Zh, string En)[] items) =>
        items.Select((item, index) => new OptionItem
        {
            ListKey = listKey,
            Code = item.Code,
            LabelZh = item.Zh,
            LabelEn = item.En,
            SortOrder = (index + 1) * 10,
        });
}
