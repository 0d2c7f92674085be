import { ean13CheckDigit } from '../../src-shared/barcodes';
import { WeightedTable } from './prng';

/** A small store catalogue for the demo receipts: products by category with EAN-13 codes. */
export interface Product {
  sku: string;
  description: string;
  category: string;
  unitPriceMinor: number;
}

const RAW: readonly (readonly [category: string, weight: number, items: readonly (readonly [string, number])[]])[] = [
  ['grocery', 22, [['五常大米 5kg', 6990], ['金龙鱼花生油 1.8L', 5990], ['挂面 1kg', 1290], ['生抽酱油 500ml', 990], ['Pasta 500g', 1590], ['燕麦片 1kg', 2890], ['Basmati rice 2kg', 4590], ['红枣 500g', 2590]]],
  ['fresh', 18, [['苹果 1kg', 1280], ['香蕉 1kg', 790], ['西红柿 500g', 590], ['鸡蛋 30枚', 2390], ['猪肉 500g', 2290], ['三文鱼 300g', 6890], ['Broccoli', 690], ['草莓 500g', 3990]]],
  ['dairy', 12, [['全脂牛奶 1L', 1290], ['酸奶 4x100g', 1090], ['Cheddar 200g', 3290], ['黄油 250g', 2690], ['豆浆 1L', 890]]],
  ['beverage', 12, [['矿泉水 12x550ml', 2190], ['绿茶 500ml', 390], ['Coffee beans 500g', 8900], ['Orange juice 1L', 1990], ['铁观音 250g', 12800], ['Cola 6x330ml', 2290]]],
  ['snacks', 10, [['薯片 150g', 890], ['Chocolate 100g', 1590], ['坚果礼盒', 12800], ['饼干 300g', 1290], ['月饼 4枚', 8800]]],
  ['household', 9, [['洗衣液 2L', 4590], ['抽纸 24包', 5990], ['Dish soap 1L', 1290], ['垃圾袋 100只', 1590], ['Light bulb LED', 2490]]],
  ['personal_care', 8, [['洗发水 750ml', 5890], ['牙膏 3支', 2990], ['Face cream 50ml', 16800], ['沐浴露 1L', 4290], ['Sunscreen SPF50', 9800]]],
  ['baby', 4, [['婴儿奶粉 900g', 32800], ['纸尿裤 L 54片', 13900], ['Baby wipes 80', 1990]]],
  ['eco', 3, [['Reusable bag', 990], ['竹牙刷 4支', 2590], ['Refill detergent 1L', 3290]]],
  ['bakery', 2, [['全麦面包', 1290], ['Croissant 4', 2190], ['生日蛋糕 8寸', 18800]]],
];

export const CATEGORIES = RAW.map(([c]) => c);

let eanSerial = 0;
function ean(): string {
  eanSerial++;
  const first12 = `69${String(20000 + eanSerial * 37).padStart(10, '0')}`.slice(0, 12);
  return first12 + ean13CheckDigit(first12);
}

/** Products by category, drawn by category popularity then uniformly within the category. */
export const CATALOGUE: readonly { category: string; weight: number; products: Product[] }[] = RAW.map(([category, weight, items]) => ({
  category,
  weight,
  products: items.map(([description, unitPriceMinor]) => ({ sku: ean(), description, category, unitPriceMinor })),
}));

export const categoryTable = new WeightedTable(CATALOGUE.map((c) => [c.products, c.weight] as const));
