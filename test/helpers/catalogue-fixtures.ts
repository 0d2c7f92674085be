/**
 * Realistic catalogue products for tests and the catalogue bench: Chinese supermarket names built
 * from brands, goods and sizes (the demo catalogue's goods among them, src-main/seed/catalogue.ts),
 * Traditional names through OpenCC, English names, EAN-13/UPC-A/EAN-8 and PLU codes, prices in
 * fen. Deterministic for a seed.
 */
import * as OpenCC from 'opencc-js';
import { Rng } from '../../src-main/seed/prng';
import { ean13CheckDigit, ean8CheckDigit, upcaCheckDigit } from '../../src-shared/catalogue/gtin';
import type { CatalogueCategory, CatalogueProduct } from '../../src-shared/catalogue/product';

/** [zh-Hans, en] */
const BRANDS: readonly (readonly [string, string])[] = [
  ['金龙鱼', 'Arawana'], ['福临门', 'Fortune'], ['鲁花', 'Luhua'], ['康师傅', 'Master Kong'], ['统一', 'Uni-President'],
  ['农夫山泉', 'Nongfu Spring'], ['怡宝', 'C’estbon'], ['蒙牛', 'Mengniu'], ['伊利', 'Yili'], ['光明', 'Bright'],
  ['海天', 'Haday'], ['李锦记', 'Lee Kum Kee'], ['老干妈', 'Laoganma'], ['旺旺', 'Want Want'], ['乐事', 'Lay’s'],
  ['奥利奥', 'Oreo'], ['可口可乐', 'Coca-Cola'], ['百事', 'Pepsi'], ['青岛', 'Tsingtao'], ['雪花', 'Snow'],
  ['三只松鼠', 'Three Squirrels'], ['良品铺子', 'Bestore'], ['洽洽', 'ChaCheer'], ['达利园', 'Daliyuan'], ['娃哈哈', 'Wahaha'],
  ['王老吉', 'Wanglaoji'], ['加多宝', 'JDB'], ['心相印', 'Hearttex'], ['维达', 'Vinda'], ['清风', 'Breeze'],
  ['舒肤佳', 'Safeguard'], ['六神', 'Liushen'], ['佳洁士', 'Crest'], ['高露洁', 'Colgate'], ['云南白药', 'Yunnan Baiyao'],
  ['立白', 'Liby'], ['蓝月亮', 'Bluemoon'], ['雕牌', 'Diao'], ['安慕希', 'Ambrosial'], ['特仑苏', 'Telunsu'],
  ['双汇', 'Shineway'], ['思念', 'Synear'], ['三全', 'Sanquan'], ['湾仔码头', 'Wanchai Ferry'], ['安井', 'Anjoy'],
  ['太太乐', 'Totole'], ['厨邦', 'Chubang'], ['千禾', 'Qianhe'], ['五芳斋', 'Wufangzhai'], ['稻香村', 'Daoxiangcun'],
  ['西湖', 'West Lake'], ['重庆', 'Chongqing'], ['长城', 'Great Wall'], ['银鹭', 'Yinlu'], ['银行街', 'Bank Street'],
  ['乐乐', 'Lele'], ['好丽友', 'Orion'], ['徐福记', 'Hsu Fu Chi'], ['大白兔', 'White Rabbit'], ['东北', 'Dongbei'],
];

/** [zh-Hans, en, category, typical price in fen, measure] */
const GOODS: readonly (readonly [string, string, CatalogueCategory, number, 'each' | 'weight'])[] = [
  ['五常大米', 'Wuchang rice', 'grocery', 6990, 'each'], ['花生油', 'Peanut oil', 'grocery', 5990, 'each'], ['挂面', 'Noodles', 'grocery', 1290, 'each'],
  ['生抽酱油', 'Light soy sauce', 'grocery', 990, 'each'], ['老抽', 'Dark soy sauce', 'grocery', 1090, 'each'], ['陈醋', 'Aged vinegar', 'grocery', 890, 'each'],
  ['料酒', 'Cooking wine', 'grocery', 690, 'each'], ['鸡精', 'Chicken bouillon', 'grocery', 1190, 'each'], ['辣椒酱', 'Chilli sauce', 'grocery', 1090, 'each'],
  ['方便面', 'Instant noodles', 'grocery', 450, 'each'], ['燕麦片', 'Oatmeal', 'grocery', 2890, 'each'], ['红枣', 'Red dates', 'grocery', 2590, 'each'],
  ['重庆火锅底料', 'Chongqing hotpot base', 'grocery', 1590, 'each'], ['长寿面', 'Longevity noodles', 'grocery', 1490, 'each'], ['银耳', 'White fungus', 'grocery', 3290, 'each'],
  ['苹果', 'Apples', 'fresh', 1280, 'weight'], ['香蕉', 'Bananas', 'fresh', 790, 'weight'], ['西红柿', 'Tomatoes', 'fresh', 590, 'weight'],
  ['鸡蛋', 'Eggs', 'fresh', 2390, 'each'], ['猪肉', 'Pork', 'fresh', 2290, 'weight'], ['三文鱼', 'Salmon', 'fresh', 6890, 'weight'],
  ['草莓', 'Strawberries', 'fresh', 3990, 'weight'], ['西兰花', 'Broccoli', 'fresh', 690, 'weight'], ['大白菜', 'Napa cabbage', 'fresh', 290, 'weight'],
  ['全脂牛奶', 'Whole milk', 'dairy', 1290, 'each'], ['酸奶', 'Yoghurt', 'dairy', 1090, 'each'], ['奶酪', 'Cheese', 'dairy', 3290, 'each'],
  ['黄油', 'Butter', 'dairy', 2690, 'each'], ['豆浆', 'Soy milk', 'dairy', 890, 'each'],
  ['矿泉水', 'Mineral water', 'beverage', 2190, 'each'], ['绿茶', 'Green tea', 'beverage', 390, 'each'], ['龙井茶', 'Longjing tea', 'beverage', 12800, 'each'],
  ['铁观音', 'Tieguanyin tea', 'beverage', 12800, 'each'], ['普洱茶', 'Pu’er tea', 'beverage', 9800, 'each'], ['可乐', 'Cola', 'beverage', 2290, 'each'],
  ['橙汁', 'Orange juice', 'beverage', 1990, 'each'], ['啤酒', 'Beer', 'beverage', 4590, 'each'], ['凉茶', 'Herbal tea', 'beverage', 590, 'each'],
  ['薯片', 'Potato chips', 'snacks', 890, 'each'], ['饼干', 'Biscuits', 'snacks', 1290, 'each'], ['瓜子', 'Sunflower seeds', 'snacks', 990, 'each'],
  ['坚果礼盒', 'Nut gift box', 'snacks', 12800, 'each'], ['月饼', 'Mooncakes', 'snacks', 8800, 'each'], ['薄荷糖', 'Mints', 'snacks', 790, 'each'],
  ['巧克力', 'Chocolate', 'snacks', 1590, 'each'], ['牛肉干', 'Beef jerky', 'snacks', 3990, 'each'], ['奶糖', 'Milk candy', 'snacks', 1290, 'each'],
  ['洗衣液', 'Laundry liquid', 'household', 4590, 'each'], ['抽纸', 'Tissues', 'household', 5990, 'each'], ['洗洁精', 'Dish soap', 'household', 1290, 'each'],
  ['垃圾袋', 'Bin bags', 'household', 1590, 'each'], ['卷纸', 'Toilet rolls', 'household', 4290, 'each'],
  ['洗发水', 'Shampoo', 'personal_care', 5890, 'each'], ['牙膏', 'Toothpaste', 'personal_care', 2990, 'each'], ['沐浴露', 'Shower gel', 'personal_care', 4290, 'each'],
  ['香皂', 'Soap', 'personal_care', 590, 'each'], ['防晒霜', 'Sunscreen', 'personal_care', 9800, 'each'],
  ['婴儿奶粉', 'Infant formula', 'baby', 32800, 'each'], ['纸尿裤', 'Nappies', 'baby', 13900, 'each'], ['湿巾', 'Baby wipes', 'baby', 1990, 'each'],
  ['环保袋', 'Reusable bag', 'eco', 990, 'each'], ['竹牙刷', 'Bamboo toothbrush', 'eco', 2590, 'each'],
  ['全麦面包', 'Wholemeal bread', 'bakery', 1290, 'each'], ['生日蛋糕', 'Birthday cake', 'bakery', 18800, 'each'], ['水饺', 'Dumplings', 'bakery', 2490, 'each'],
  ['汤圆', 'Tangyuan', 'bakery', 1890, 'each'], ['粽子', 'Zongzi', 'bakery', 3990, 'each'],
];

/** [zh-Hans, en] variants and sizes */
const VARIANTS: readonly (readonly [string, string])[] = [
  ['', ''], ['原味', 'original'], ['香辣味', 'spicy'], ['家庭装', 'family pack'], ['礼盒装', 'gift box'], ['特级', 'premium'],
  ['有机', 'organic'], ['低糖', 'low sugar'], ['无糖', 'sugar free'], ['经典', 'classic'], ['加大装', 'large'], ['迷你', 'mini'],
];
const SIZES = ['', '500g', '1kg', '5kg', '250ml', '500ml', '1L', '1.8L', '12x550ml', '6x330ml', '150g', '300g', '24包', '4枚', '80片', '3支'];

let converter: ((s: string) => string) | null = null;
function toTraditional(s: string): string {
  converter ??= OpenCC.Converter({ from: 'cn', to: 'tw' });
  return converter(s);
}

function ean13(rng: Rng, prefix: string): string {
  let body = prefix;
  while (body.length < 12) body += String(rng.int(0, 9));
  return body + ean13CheckDigit(body);
}

export interface FixtureOptions {
  /** Share of products with a mnemonic (助记码) set. */
  mnemonicShare?: number;
  /** Share of inactive products. */
  inactiveShare?: number;
}

/**
 * `count` products with distinct SKUs and distinct barcodes. Every product has a Chinese name;
 * most have Traditional and English names. About 1 in 20 has a second (UPC-A) code, 1 in 50 an
 * EAN-8, weighed goods a PLU.
 */
export function generateCatalogue(count: number, seed = 1, options: FixtureOptions = {}): CatalogueProduct[] {
  const rng = new Rng(seed, 0x0ca7a1);
  const usedCodes = new Set<string>();
  const unique = (make: () => string): string => {
    for (;;) {
      const code = make();
      if (!usedCodes.has(code)) {
        usedCodes.add(code);
        return code;
      }
    }
  };
  const products: CatalogueProduct[] = [];
  for (let i = 0; i < count; i += 1) {
    const [brandZh, brandEn] = rng.pick(BRANDS);
    const [goodZh, goodEn, category, basePrice, measure] = rng.pick(GOODS);
    const [variantZh, variantEn] = rng.pick(VARIANTS);
    const size = measure === 'weight' ? '' : rng.pick(SIZES);
    const zhHans = [`${brandZh}${variantZh}${goodZh}`, size].filter(Boolean).join(' ');
    const en = rng.chance(0.9) ? [brandEn, variantEn, goodEn, size].filter(Boolean).join(' ') : '';
    const zhHant = rng.chance(0.95) ? toTraditional(zhHans) : '';
    const barcodes = [unique(() => ean13(rng, rng.chance(0.8) ? '69' : String(rng.int(30, 99))))];
    if (rng.chance(0.05)) {
      barcodes.push(unique(() => {
        let body = '0';
        while (body.length < 11) body += String(rng.int(0, 9));
        return `0${body}${upcaCheckDigit(body)}`; // a UPC-A, stored in its EAN-13 form
      }));
    }
    if (rng.chance(0.02)) {
      barcodes.push(unique(() => {
        let body = '69';
        while (body.length < 7) body += String(rng.int(0, 9));
        return body + ean8CheckDigit(body);
      }));
    }
    if (measure === 'weight') barcodes.push(unique(() => String(rng.int(1, 99_999))));
    const priceMinor = Math.max(1, Math.round((basePrice * (0.5 + rng.next() * 1.5)) / 10) * 10);
    const product: CatalogueProduct = {
      sku: `SKU-${String(i + 1).padStart(6, '0')}`,
      barcodes,
      names: { 'zh-Hans': zhHans, 'zh-Hant': zhHant, en },
      category,
      unitPriceMinor: priceMinor,
      active: !rng.chance(options.inactiveShare ?? 0.05),
      measure,
    };
    if (rng.chance(options.mnemonicShare ?? 0.1)) product.mnemonic = `M${String(i + 1)}`;
    products.push(product);
  }
  return products;
}
