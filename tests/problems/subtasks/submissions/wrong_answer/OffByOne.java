// Wrong answer everywhere: sums 1..N-1 instead of 1..N. Score 0.
import java.util.Scanner;

public class OffByOne {
    public static void main(String[] args) {
        long n = new Scanner(System.in).nextLong();
        System.out.println(n * (n - 1) / 2);
    }
}
