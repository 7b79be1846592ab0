#include "tools/demo/demo_names.h"

namespace unionhub::demo::names {
namespace {

constexpr const char* kSurnames[] = {
    "王", "李",   "张",   "刘",  "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
    "马", "朱",   "胡",   "郭",  "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
    "唐", "许",   "韩",   "冯",  "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
    "潘", "于",   "蒋",   "蔡",  "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈",   "姚",   "卢",  "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    "石", "廖",   "贾",   "夏",  "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
    "邱", "江",   "尹",   "薛",  "闫", "段", "雷", "侯", "龙", "史", "陶", "黎",
    "贺", "顾",   "毛",   "郝",  "龚", "邵", "万", "钱", "严", "武", "戴", "孔",
    "汤", "欧阳", "司马", "诸葛"};

constexpr const char* kMaleGivenChars[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平",
    "辉", "鹏", "华", "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆",
    "旭", "宁", "龙", "林", "阳", "建", "国", "峰", "亮", "成", "东", "志",
    "海", "兵", "晨", "博", "轩", "泽", "昊", "德", "振", "永", "卫", "鸣"};

constexpr const char* kFemaleGivenChars[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "燕",
    "玲", "桂", "丹", "萍", "红", "玉", "兰", "英", "梅", "琳",
    "雪", "婷", "倩", "颖", "慧", "洁", "月", "莉", "蓉", "晶",
    "琴", "云", "璐", "欣", "怡", "萱", "雯", "佳", "媛", "薇"};

constexpr const char* kNeutralGivenChars[] = {
    "子", "小", "晓", "文", "思", "雨", "嘉", "春", "金",
    "新", "海", "一", "天", "安", "秋", "若", "立", "长"};

constexpr const char* kMinorityEthnicities[] = {"回族",   "满族", "蒙古族",
                                                "土家族", "苗族", "壮族"};

constexpr const char* kTownships[] = {
    "城关镇", "清河街道", "新城街道", "西湖街道", "王庄镇", "李集镇",
    "东坝镇", "柳河镇",   "石桥镇",   "双河乡",   "马店镇", "白塔镇"};

constexpr const char* kRoads[] = {
    "人民路", "建设路",   "解放路",   "工业路", "长江路", "黄河路",  "振兴路",
    "幸福路", "文化路",   "团结路",   "和平路", "育才路", "朝阳路",  "新华路",
    "中山路", "开发大道", "迎宾大道", "纬一路", "经二路", "环城北路"};

constexpr const char* kTradeNames[] = {
    "华兴", "宏达", "鑫源", "恒泰", "永盛", "东方",  "金鼎",   "瑞丰", "天成",
    "鸿运", "佳禾", "富民", "长青", "润泽", "中联",  "新世纪", "兴隆", "汇通",
    "正大", "德润", "利民", "国泰", "嘉禾", "恒信",  "腾飞",   "亿丰", "振华",
    "金桥", "百川", "万通", "协和", "联创", "博远",  "清源",   "聚力", "同心",
    "华瑞", "顺达", "远航", "海诚", "春晖", "盛源",  "宝丰",   "安泰", "信达",
    "金帆", "绿源", "明珠", "凯旋", "卓越", "弘毅",  "晨光",   "天意", "丰泽",
    "锦程", "和润", "星河", "荣昌", "恒远", "新纪元"};

constexpr const char* kIndustries[] = {
    "机械制造", "纺织",     "服装",     "食品",     "塑料制品", "电子科技",
    "建材",     "物流",     "商贸",     "建筑工程", "农业开发", "化工",
    "家具",     "汽车配件", "印刷包装", "酒店管理", "餐饮管理", "物业服务",
    "新能源",   "医疗器械", "羊绒制品", "五金制品", "电器",     "粮油",
    "环保科技", "钢结构",   "木业",     "生物科技", "光伏材料", "信息技术"};

constexpr const char* kCompanySuffixes[] = {"有限公司", "有限公司", "有限公司",
                                            "股份有限公司", "有限责任公司"};

constexpr const char* kStateOwnedEmployers[] = {"自来水有限公司",
                                                "供电公司",
                                                "公共交通有限公司",
                                                "城市建设投资集团有限公司",
                                                "粮食购销有限公司",
                                                "燃气有限公司",
                                                "农村商业银行股份有限公司",
                                                "邮政分公司",
                                                "水务集团有限公司",
                                                "国有资产经营有限公司",
                                                "交通运输集团有限公司",
                                                "热力有限公司",
                                                "石油分公司",
                                                "广电网络有限公司",
                                                "盐业有限公司",
                                                "移动通信分公司",
                                                "电信分公司",
                                                "联通分公司",
                                                "工商银行支行",
                                                "农业银行支行",
                                                "中国银行支行",
                                                "建设银行支行",
                                                "人寿保险支公司",
                                                "财产保险支公司",
                                                "烟草分公司",
                                                "供销合作总社",
                                                "城乡建设发展有限公司",
                                                "农业发展投资有限公司",
                                                "文化旅游投资有限公司",
                                                "汽车客运站有限公司"};

constexpr const char* kCountyInstitutions[] = {
    "人民医院", "中医院",       "妇幼保健院", "疾病预防控制中心",
    "第一中学", "第二中学",     "实验中学",   "职业教育中心",
    "实验小学", "第二实验小学", "图书馆",     "文化馆"};

constexpr const char* kCountyAgencies[] = {
    "财政局",           "教育局",
    "公安局",           "人力资源和社会保障局",
    "卫生健康委员会",   "市场监督管理局",
    "住房和城乡建设局", "交通运输局",
    "农业农村局",       "民政局",
    "司法局",           "审计局",
    "人民法院",         "人民检察院"};

constexpr const char* kTownshipInstitutions[] = {"中心小学", "卫生院"};

constexpr const char* kMobilePrefixes[] = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
    "151", "152", "155", "156", "157", "158", "159", "177", "180", "181",
    "182", "183", "186", "187", "188", "189", "191", "199"};

}  // namespace

List Surnames() { return kSurnames; }
List MaleGivenChars() { return kMaleGivenChars; }
List FemaleGivenChars() { return kFemaleGivenChars; }
List NeutralGivenChars() { return kNeutralGivenChars; }
List MinorityEthnicities() { return kMinorityEthnicities; }
List Townships() { return kTownships; }
List Roads() { return kRoads; }
List TradeNames() { return kTradeNames; }
List Industries() { return kIndustries; }
List CompanySuffixes() { return kCompanySuffixes; }
List StateOwnedEmployers() { return kStateOwnedEmployers; }
List CountyInstitutions() { return kCountyInstitutions; }
List CountyAgencies() { return kCountyAgencies; }
List TownshipInstitutions() { return kTownshipInstitutions; }
List MobilePrefixes() { return kMobilePrefixes; }

}  // namespace unionhub::demo::names
