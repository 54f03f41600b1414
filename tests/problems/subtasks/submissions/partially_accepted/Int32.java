// Partially accepted (30 points): an int accumulator. Right for group 1 (N <= 10); every group 2
// sum exceeds 2^31 and wraps (Java's int arithmetic is defined to wrap, two's complement).
import java.util.Scanner;

public class Int32 {
    public static void main(String[] args) {
        int n = new Scanner(System.in).nextInt();
        int sum = 0;
        for (int i = 1; i <= n; i++) sum += i;
        System.out.println(sum);
    }
}
