public class Hello { public static void main(String[] a) throws Exception { System.out.println("hello"); } }
